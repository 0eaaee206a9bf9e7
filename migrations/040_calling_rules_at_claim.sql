-- Calling rules, attempt caps and dial mode at claim (issue 13, contract section 9).
--
-- A number's "place" is what decides, at an instant, whether the hours and closed days let it be
-- called: its zone, its state (by area code) and whether it is a Mobile number without consent
-- (which a skill requiring wireless consent sends to Manual claims only). A contact's place is its
-- zone and its state. Places are kept by Postgres (generated), so no writer can get them wrong.
-- call_places lists the places in use (tens to hundreds of rows, as time_zones lists zones): a
-- claim or a count asks it once per statement which places are open now, for each skill's window
-- and flags, and then tests each contact with array operators on prospects_dial_idx alone.
ALTER TABLE destinations
  ADD COLUMN state text,
  ADD COLUMN consent boolean NOT NULL DEFAULT false;
ALTER TABLE destinations ADD COLUMN place text GENERATED ALWAYS AS (
  time_zone || '|' || coalesce(state, '') || '|' || CASE WHEN type = 'Mobile' AND NOT consent THEN 'W' ELSE '' END
) STORED;

-- state: the contact's (its State, else its Zip); dial_by_hand: its Compliance flag;
-- number_places: its active numbers' places, sorted, each once (kept where number_zones is);
-- last_claimed_at: its latest claim, so only contacts claimed within the longest cap window
-- are counted against caps (one probe of claims_prospect_idx each), the others not at all.
ALTER TABLE prospects
  ADD COLUMN state text,
  ADD COLUMN dial_by_hand boolean NOT NULL DEFAULT false,
  ADD COLUMN number_places text[] NOT NULL DEFAULT '{}',
  ADD COLUMN last_claimed_at timestamptz;
ALTER TABLE prospects ADD COLUMN place text GENERATED ALWAYS AS (
  time_zone || '|' || coalesce(state, '') || '|'
) STORED;

CREATE TABLE call_places (
  place               text PRIMARY KEY,
  zone                text    NOT NULL,
  state               text,
  unconsented_mobile  boolean NOT NULL
);

UPDATE prospects p SET
  number_places = ARRAY(SELECT DISTINCT d.place FROM destinations d
                        WHERE d.prospect_id = p.prospect_id AND d.status = 'Active' ORDER BY 1),
  last_claimed_at = (SELECT max(c.claimed_at) FROM claims c WHERE c.prospect_id = p.prospect_id);

INSERT INTO call_places (place, zone, state, unconsented_mobile)
SELECT DISTINCT place, time_zone, state, place LIKE '%|W' FROM destinations
UNION
SELECT DISTINCT place, time_zone, state, false FROM prospects
ON CONFLICT (place) DO NOTHING;

-- What each claim was made under: the number handed out (caps per number count it), the dial
-- mode, whether it must be dialed by hand, the rules file's version and the caps that applied.
ALTER TABLE claims
  ADD COLUMN phone_number text,
  ADD COLUMN mode text NOT NULL DEFAULT 'Autodial',
  ADD COLUMN manual_dial_only boolean NOT NULL DEFAULT false,
  ADD COLUMN rules_version text,
  ADD COLUMN caps jsonb NOT NULL DEFAULT '[]';
UPDATE claims c SET phone_number = d.phone_number
FROM destinations d WHERE d.prospect_id = c.prospect_id AND d.position = c.position;

-- Caps count a contact's claims over a rolling window: one range probe per contact and cap,
-- from the index alone (the number, for the per-number cap, rides along).
DROP INDEX claims_prospect_idx;
CREATE INDEX claims_prospect_idx ON claims (prospect_id, claimed_at) INCLUDE (phone_number);

-- The callable test reads the places, the Compliance flag and the latest claim from the index.
DROP INDEX prospects_dial_idx;
CREATE INDEX prospects_dial_idx ON prospects (skill_no, priority DESC, available_at, prospect_id)
  INCLUDE (expires_at, time_zone, number_zones, claimed_until, next_attempt_at,
           place, number_places, dial_by_hand, last_claimed_at)
  WHERE status = 'Active';

-- The claim takes a contact's first open number from the index alone, its place and state included.
DROP INDEX destinations_active_idx;
CREATE INDEX destinations_active_idx ON destinations (prospect_id, position)
  INCLUDE (time_zone, phone_number, place, state)
  WHERE status = 'Active';
