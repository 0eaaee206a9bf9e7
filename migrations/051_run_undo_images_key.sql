-- Undo reads the images of a slice of its run by (run_id, prospect_id). With only the BRIN index
-- of migration 050, and no statistics yet on a table that was just filled, the planner probed the
-- whole run's images once per record: undoing a 50,000-record load took 75-230 s. A btree keyed
-- the way undo reads makes each probe a few pages whatever the plan (bench "preview and undo").
-- It also serves the deletes by run_id, so the BRIN index goes.
CREATE INDEX run_undo_images_key ON run_undo_images (run_id, prospect_id);
DROP INDEX run_undo_images_run_idx;
