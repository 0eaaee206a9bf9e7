-- The foundation: skills, versioned source maps, prospects with their destinations,
-- runs with one stored result per input record, and the refill state of each skill.
-- Names are unqualified on purpose: the migration runner applies them in whatever schema
-- the connection's search_path names, which is how tests isolate themselves.

CREATE TABLE skills (
  skill_no            integer PRIMARY KEY CHECK (skill_no > 0),
  name                text        NOT NULL,
  body                jsonb       NOT NULL,           -- the skill as the caller gave it, validated
  refill_enabled      boolean     NOT NULL DEFAULT false,
  window_start        time        NOT NULL DEFAULT '08:00',
  window_end          time        NOT NULL DEFAULT '21:00',
  max_attempts        integer     NOT NULL DEFAULT 3,
  min_retry_minutes   integer     NOT NULL DEFAULT 60,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE source_maps (
  source_name  text        NOT NULL,
  version      integer     NOT NULL,
  mapping      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_name, version)
);

CREATE TABLE runs (
  run_id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  skill_no            integer     NOT NULL REFERENCES skills ON DELETE CASCADE,
  source_name         text        NOT NULL,
  source_map_version  integer,
  origin              text        NOT NULL,           -- Api | Refill | Import
  status              text        NOT NULL DEFAULT 'Completed', -- Completed | Failed
  job_id              text,
  record_count        integer     NOT NULL DEFAULT 0,
  counts              jsonb       NOT NULL DEFAULT '{}', -- ResultCode -> number of records
  error               text,
  cursor_before       text,
  cursor_after        text,
  started_at          timestamptz NOT NULL DEFAULT now(),
  finished_at         timestamptz
);
CREATE INDEX runs_skill_idx ON runs (skill_no, run_id DESC);

-- One row per input record of a run, in input order.
CREATE TABLE run_results (
  run_id          bigint  NOT NULL REFERENCES runs ON DELETE CASCADE,
  seq             integer NOT NULL,
  result_code     text    NOT NULL,
  result_message  text,
  external_id     text,
  record          jsonb,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX run_results_code_idx ON run_results (run_id, result_code);

CREATE TABLE prospects (
  prospect_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  skill_no            integer     NOT NULL REFERENCES skills ON DELETE CASCADE,
  source_name         text        NOT NULL,
  external_id         text        NOT NULL,
  first_name          text,
  last_name           text,
  time_zone           text        NOT NULL,
  time_zone_source    text        NOT NULL,            -- Field | Zip | State | Phone | Default
  expiration_date     text,                            -- as answered: a date or an ISO instant
  expires_at          timestamptz,
  priority            integer     NOT NULL DEFAULT 0,
  score               double precision,
  fields              jsonb       NOT NULL DEFAULT '{}',
  status              text        NOT NULL DEFAULT 'Active', -- Active | Finalized
  final_reason        text,
  attempts            integer     NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz,                     -- resting between attempts until then
  claimed_until       timestamptz,                     -- a live claim holds the whole contact
  source_map_version  integer,
  last_run_id         bigint,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (skill_no, source_name, external_id)
);
-- The dialing queue reads active prospects of one skill in priority order.
CREATE INDEX prospects_queue_idx ON prospects (skill_no, priority DESC, prospect_id)
  WHERE status = 'Active';

CREATE TABLE destinations (
  prospect_id   bigint   NOT NULL REFERENCES prospects ON DELETE CASCADE,
  position      smallint NOT NULL,                     -- mapping order; 0 is the primary
  phone_number  text     NOT NULL,                     -- E.164
  type          text     NOT NULL,
  time_zone     text     NOT NULL,
  status        text     NOT NULL DEFAULT 'Active',    -- Active | Finalized
  final_reason  text,
  PRIMARY KEY (prospect_id, position)
);
CREATE INDEX destinations_phone_idx ON destinations (phone_number);

-- Every zone any prospect or destination uses. The dialing queue asks "which zones are
-- inside the calling window now" of this small table instead of converting the clock
-- for every destination row.
CREATE TABLE time_zones (
  name text PRIMARY KEY
);

CREATE TABLE claims (
  claim_id      uuid        PRIMARY KEY,
  skill_no      integer     NOT NULL,
  prospect_id   bigint      NOT NULL REFERENCES prospects ON DELETE CASCADE,
  position      smallint    NOT NULL,
  attempt       integer     NOT NULL,
  claimed_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  outcome       text,
  reported_at   timestamptz
);
CREATE INDEX claims_prospect_idx ON claims (prospect_id);

-- Where each skill's refill stands: the connector cursor advances in the same transaction
-- that stores the records read before it.
CREATE TABLE refill_state (
  skill_no        integer PRIMARY KEY REFERENCES skills ON DELETE CASCADE,
  cursor          text,
  last_refill_at  timestamptz,
  last_run_id     bigint
);
