-- Undo data written only for what a run changes (issue 14: keeping it cost a load 0.70-0.78x of
-- its speed, goal >= 0.85x). A re-read CRM page is mostly contacts that did not change, and for
-- each of them the load wrote a whole pre-image (~600 bytes of heap and WAL, fields included) and
-- the json of its numbers (one index probe and aggregate per contact).
--
-- - run_undo_numbers: the numbers a run deleted (replaceDestinations deletes only the numbers that
--   differ from what was sent), as they were, written by that delete. A run's undo deletes the
--   contact's numbers the run wrote (their xmin is one of run_xacts) and puts these back; numbers
--   the run left alone are not touched. A re-post of unchanged numbers writes none.
-- - run_undo_images.same: the run sent exactly what the contact already held, so only what every
--   update rewrites is kept (last_run_id, updated_at, source_map_version); the loaded columns stay
--   NULL and the undo leaves the contact's own.
-- Images written before this migration carry their numbers as json: they are moved here, all of
-- them (also the numbers the run did not change); the undo puts those back only where the position
-- is free, which is where the run deleted one.

CREATE TABLE run_undo_numbers (
  run_id        bigint   NOT NULL,
  prospect_id   bigint   NOT NULL,
  position      smallint NOT NULL,
  phone_number  text     NOT NULL,
  type          text     NOT NULL,
  time_zone     text     NOT NULL,
  status        text     NOT NULL,
  final_reason  text,
  state         text,
  consent       boolean  NOT NULL
);
CREATE INDEX run_undo_numbers_key ON run_undo_numbers (run_id, prospect_id);

INSERT INTO run_undo_numbers (run_id, prospect_id, position, phone_number, type, time_zone, status, final_reason, state, consent)
SELECT i.run_id, i.prospect_id, (e->>0)::smallint, e->>1, e->>2, e->>3, e->>4, e->>5, e->>6, coalesce((e->>7)::boolean, false)
FROM run_undo_images i CROSS JOIN LATERAL json_array_elements(i.destinations) e;

ALTER TABLE run_undo_images
  DROP COLUMN destinations,
  ADD COLUMN same boolean NOT NULL DEFAULT false,
  ALTER COLUMN time_zone DROP NOT NULL,
  ALTER COLUMN time_zone_source DROP NOT NULL,
  ALTER COLUMN priority DROP NOT NULL,
  ALTER COLUMN fields DROP NOT NULL,
  ALTER COLUMN number_zones DROP NOT NULL,
  ALTER COLUMN dial_by_hand DROP NOT NULL;

CREATE OR REPLACE FUNCTION run_undo_follow_runs() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  DELETE FROM run_xacts x USING gone g WHERE x.run_id = g.run_id;
  DELETE FROM run_undo_images i USING gone g WHERE i.run_id = g.run_id;
  DELETE FROM run_undo_numbers n USING gone g WHERE n.run_id = g.run_id;
  RETURN NULL;
END
$$;
