-- The dialing queue.
--
-- available_at: when a contact may next be handed out, the later of its rest (next_attempt_at)
-- and its claim (claimed_until); -infinity when neither holds it. Kept by Postgres, so no writer
-- can forget it. Being a key of the queue index, a claim walks past held and resting contacts
-- inside the index (an index condition) instead of fetching each one's row: without it every
-- claim re-read every contact claimed or resting ahead of it, so claims slowed as they piled up.
ALTER TABLE prospects ADD COLUMN available_at timestamptz GENERATED ALWAYS AS (
  GREATEST(COALESCE(next_attempt_at, '-infinity'::timestamptz), COALESCE(claimed_until, '-infinity'::timestamptz))
) STORED;

-- Replaces prospects_queue_idx (same leading columns, so per-skill counts still use it): highest
-- Priority first, then contacts never called in the order they came, then retries as they fell due.
DROP INDEX prospects_queue_idx;
CREATE INDEX prospects_dial_idx ON prospects (skill_no, priority DESC, available_at, prospect_id)
  WHERE status = 'Active';

-- The queue looks up a contact's active numbers for every contact it considers: the claim takes
-- the first one in an open zone by position, the counts ask whether any is in an open zone. One
-- partial covering index answers both from the index alone (destinations rarely change after
-- their insert, so their pages stay all-visible).
CREATE INDEX destinations_active_idx ON destinations (prospect_id, position)
  INCLUDE (time_zone, phone_number)
  WHERE status = 'Active';
