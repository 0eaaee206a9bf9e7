-- Publication of refill runs: each run stored by a fetch job is put on the Redis results stream
-- and, where the skill's connector has a ResultsUrl, written back to the CRM. The row is made in
-- the run's own transaction, so a worker that dies after the commit leaves a row with
-- published_at NULL that the skill's next fetch job publishes (an outbox).
CREATE TABLE run_publications (
  run_id                 bigint      PRIMARY KEY REFERENCES runs ON DELETE CASCADE,
  skill_no               integer     NOT NULL,
  published_at           timestamptz,
  writeback_status       text,        -- NULL (no ResultsUrl) | Pending | Delivered | Failed
  writeback_attempts     integer     NOT NULL DEFAULT 0,
  writeback_http_status  integer,
  writeback_error        text,
  writeback_at           timestamptz
);
CREATE INDEX run_publications_unpublished_idx ON run_publications (skill_no, run_id)
  WHERE published_at IS NULL;
