-- Undo of a run (contract section 10): what each run needs to be reversed, and the record of its undo.
--
-- A run keeps, in the same transaction(s) that stored it:
-- - run_xacts: the id of each transaction that stored part of it (one for an API or refill run, one
--   per batch of an import). A contact whose row version (xmin) is still one of these was touched
--   by nothing since the run: every writer of prospects (a later load, a claim, an outcome, an undo)
--   makes a new row version, and a removal deletes the row. So "changed since" costs no column and
--   no write by any other writer. xid is the 32-bit transaction id (xmin's form) of the xid8.
-- - run_undo_images: for each contact the run updated, the columns a load writes as they were
--   before it, and its numbers (with their statuses) as one json array (json: kept as text, no
--   binary conversion on the way in). Written by the upsert
--   statement itself, from the rows it is about to overwrite (a CTE reads them in the statement's
--   snapshot). Contacts the run created need nothing here: its run_results name them.
-- Both are deleted when the run is undone or its undo data is older than UNDO_RETENTION_DAYS.
-- Neither carries a foreign key: written only by the load that owns the run, deleted with it below.

CREATE TABLE run_xacts (
  run_id  bigint NOT NULL,
  xid     bigint NOT NULL,
  PRIMARY KEY (run_id, xid)
);

CREATE TABLE run_undo_images (
  run_id              bigint      NOT NULL,
  prospect_id         bigint      NOT NULL,
  first_name          text,
  last_name           text,
  time_zone           text        NOT NULL,
  time_zone_source    text        NOT NULL,
  expiration_date     text,
  expires_at          timestamptz,
  priority            integer     NOT NULL,
  score               double precision,
  fields              jsonb       NOT NULL,
  number_zones        text[]      NOT NULL,
  source_map_version  integer,
  last_run_id         bigint,
  updated_at          timestamptz NOT NULL,
  -- [[position, phone_number, type, time_zone, status, final_reason], ...]
  destinations        json        NOT NULL
);
-- Run ids only grow, so the images of one run lie in a run of pages: a BRIN index finds them at
-- next to no cost per insert (a btree on (run_id, prospect_id) was most of what keeping undo data
-- cost a load). An undo reads its run's images by it and joins them to a slice by hash.
CREATE INDEX run_undo_images_run_idx ON run_undo_images USING brin (run_id);

-- The undo of a run: when, by whom (the acting key's role; null when the service is open or it
-- came from the CLI as 'cli'), and what it answered (ResultCode -> count). undo_purged_at: its
-- undo data was deleted for age; the run can no longer be undone.
ALTER TABLE runs
  ADD COLUMN undone_at       timestamptz,
  ADD COLUMN undone_by       text,
  ADD COLUMN undo_counts     jsonb,
  ADD COLUMN undo_purged_at  timestamptz;

CREATE FUNCTION run_undo_follow_runs() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM run_xacts x USING gone g WHERE x.run_id = g.run_id;
  DELETE FROM run_undo_images i USING gone g WHERE i.run_id = g.run_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER runs_delete_undo AFTER DELETE ON runs
  REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION run_undo_follow_runs();

-- The periodic purge finds the runs whose undo data is still kept, oldest first, without reading
-- every run ever stored.
CREATE INDEX runs_undo_kept_idx ON runs (started_at) WHERE undo_purged_at IS NULL AND undone_at IS NULL;
