-- What an undo answered, per record (contract section 10: Removed, Restored or ChangedSince), kept
-- with the run: the undo writes each slice's answers here, set-based, and the answer to
-- POST /v1/runs/{RunId}/undo is streamed from here once the undo has committed, so neither the
-- undo nor its answer holds a run's records in node (issue 14: undoing 1,000,000 records with flat
-- memory; the answer had gathered every record of the run first). The records themselves are the
-- run's own, in run_results (same run_id and seq).
-- Unlike the undo data, kept as long as the run: deleted with it (no foreign key: a check per row
-- of an undo's slice; a statement trigger instead, as migration 050 does for the undo data).

CREATE TABLE run_undo_answers (
  run_id       bigint  NOT NULL,
  seq          integer NOT NULL,
  result_code  text    NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE FUNCTION run_undo_answers_follow_runs() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM run_undo_answers a USING gone g WHERE a.run_id = g.run_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER runs_delete_undo_answers AFTER DELETE ON runs
  REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION run_undo_answers_follow_runs();
