-- What migration 040 added to prospects and destinations is restored by an undo too: the
-- contact's state and its Compliance (dial by hand) flag; each number's state and consent go in
-- the destinations json (positions 6 and 7). number_places is recomputed from the numbers, as
-- number_zones is.
ALTER TABLE run_undo_images ADD COLUMN state text, ADD COLUMN dial_by_hand boolean NOT NULL DEFAULT false;
