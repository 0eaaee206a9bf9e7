-- The numbers each load dropped as suppressed (issue 12, the dashboard's do-not-call panel), kept
-- as data rather than read back out of the results' ResultMessage text, whose wording is for
-- people and may change. Written by the load, in its transaction, one INSERT per chunk that met
-- a suppressed number (none otherwise), next to the chunk's results.
--
-- A number is kept masked (maskPhone: country code and last four digits), never whole: this
-- table feeds a dashboard, and the whole number is already in the run's records and the lists.
CREATE TABLE run_suppressed (
  run_id     bigint   NOT NULL REFERENCES runs ON DELETE CASCADE,
  seq        integer  NOT NULL,     -- the record's position in the run, as run_results.seq
  position   smallint NOT NULL,     -- its place among the numbers that record lost
  masked     text     NOT NULL,
  list_name  text     NOT NULL,     -- the list that held it (as named in the ResultMessage)
  by_prefix  boolean  NOT NULL,
  refused    boolean  NOT NULL,     -- the record failed DoNotCall: every valid number was held
  PRIMARY KEY (run_id, seq, position)
);
