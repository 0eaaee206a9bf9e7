-- One row naming this database. Queue and Redis keys are scoped by it (QUEUE_PREFIX:<id>): a
-- database that was reset, or a second database behind the same Redis and QUEUE_PREFIX, starts
-- RunIds and SkillNos again from the same numbers, and must never meet the jobs and keys that
-- another database left under them (a finished `writeback-1` job kept for the dashboard made the
-- write-back of every new run 1 vanish).
CREATE TABLE installation (
  singleton        boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  installation_id  uuid        NOT NULL DEFAULT gen_random_uuid(),
  created_at       timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation DEFAULT VALUES;

-- Write-backs still owed, for the sweeper that re-queues them and the metric of their age: a
-- few rows among every run ever published.
CREATE INDEX run_publications_writeback_owed_idx ON run_publications (run_id)
  WHERE writeback_status = 'Pending';
