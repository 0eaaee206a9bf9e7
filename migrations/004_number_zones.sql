-- number_zones: the zones of a contact's active numbers, sorted, each once.
--
-- "Callable now" needs the contact's own zone open and at least one active number in an open
-- zone. Asked of destinations, that was one index probe per contact considered: for the brain's
-- count over 1,000 skills, 20,000 probes and most of the tick. Kept here, the whole question is
-- answered from prospects_dial_idx alone (an index-only scan where the pages are all-visible).
-- Writers keep it exact: the load's upsert (numbers stored with it), replaceDestinations (where a
-- contact keeps a finalized number) and the outcome that finalizes a number.
ALTER TABLE prospects ADD COLUMN number_zones text[] NOT NULL DEFAULT '{}';

UPDATE prospects p SET number_zones = ARRAY(
  SELECT DISTINCT d.time_zone FROM destinations d
  WHERE d.prospect_id = p.prospect_id AND d.status = 'Active' ORDER BY 1
);

-- Same keys as before; the columns the callable test reads ride along.
DROP INDEX prospects_dial_idx;
CREATE INDEX prospects_dial_idx ON prospects (skill_no, priority DESC, available_at, prospect_id)
  INCLUDE (expires_at, time_zone, number_zones)
  WHERE status = 'Active';
