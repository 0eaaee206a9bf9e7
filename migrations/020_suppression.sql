-- Do-not-call: suppression lists, their entries (numbers and prefixes), consent revocations and
-- the history of every add and removal (contract section 8).
--
-- Size: a list may hold the national registry (~250 million numbers). A number is kept as its
-- E.164 digits in a bigint (8 bytes, compared as an integer) rather than text ('+12125550100' is
-- 13 bytes plus a header, compared by collation), and an entry carries only what differs per
-- number: who added it, when, from where and why live once per add call or import (its batch).
--
-- Revocations of consent are entries of the built-in list `Revocations`, which applies to every
-- skill: enforcement at load and at claim needs one rule, and the history is kept the same way.

CREATE TABLE suppression_lists (
  list_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text        NOT NULL,
  description  text,
  all_skills   boolean     NOT NULL DEFAULT false,
  built_in     boolean     NOT NULL DEFAULT false,   -- Revocations: never deleted, never undone
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- A list is never deleted outright: its history must outlive it (kept 5 years for the TCPA).
  -- Deleting one moves its entries to the history as removals and sets this.
  deleted_at   timestamptz
);

CREATE UNIQUE INDEX suppression_lists_name_idx ON suppression_lists (name) WHERE deleted_at IS NULL;

INSERT INTO suppression_lists (name, description, all_skills, built_in)
VALUES ('Revocations', 'Consent revoked by the person at the number (POST /v1/consent/revocations): every skill', true, true);

-- One add call, import, outcome or revocation call: the who, when and where of its entries.
CREATE TABLE suppression_batches (
  batch_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  list_id      integer     NOT NULL REFERENCES suppression_lists,
  source       text        NOT NULL,                 -- Api | Import | Outcome | Revocation
  role         text,                                 -- the acting key's role; null when the service is open
  at           timestamptz NOT NULL,
  claim_id     uuid,                                 -- the claim whose DoNotCall outcome added it
  file_name    text                                  -- an import's file (base name only)
);

-- Number entries in force. Probed by number at every claim and per load chunk, so the number
-- leads the key; a list's entries are found by list_id for counts and removal of the list.
CREATE TABLE suppression_numbers (
  number      bigint      NOT NULL,                  -- E.164 digits, no '+'
  list_id     integer     NOT NULL,
  batch_id    bigint      NOT NULL,
  expires_at  timestamptz,
  reason      text,
  PRIMARY KEY (number, list_id)
);
CREATE INDEX suppression_numbers_list_idx ON suppression_numbers (list_id);

-- Prefix entries in force: every number whose E.164 digits start with `prefix` is suppressed.
-- Matched by equality on the number's leading digits for each prefix length in use (never a scan).
CREATE TABLE suppression_prefixes (
  prefix      text        NOT NULL CHECK (prefix ~ '^[1-9][0-9]{0,14}$'),
  list_id     integer     NOT NULL,
  batch_id    bigint      NOT NULL,
  expires_at  timestamptz,
  reason      text,
  prefix_len  smallint    GENERATED ALWAYS AS (length(prefix)) STORED,
  PRIMARY KEY (prefix, list_id)
);

-- Every add, update and removal, kept however often an entry comes and goes and never deleted by
-- a removal. An entry's current add is its row in suppression_numbers / suppression_prefixes (so
-- loading 10,000,000 numbers writes each once); when it is updated or removed, the add it
-- replaces is copied here first, and a removal is recorded here with its own batch.
CREATE TABLE suppression_history (
  history_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  list_id     integer     NOT NULL,
  number      bigint,                                -- exactly one of number, prefix
  prefix      text,
  action      text        NOT NULL,                  -- Added | Removed
  batch_id    bigint      NOT NULL,
  expires_at  timestamptz,
  reason      text,
  CHECK ((number IS NULL) <> (prefix IS NULL))
);
CREATE INDEX suppression_history_number_idx ON suppression_history (list_id, number) WHERE number IS NOT NULL;
CREATE INDEX suppression_history_prefix_idx ON suppression_history (list_id, prefix) WHERE prefix IS NOT NULL;

-- Entries are written only under their list's row lock (SELECT ... FOR KEY SHARE of the list,
-- once per call or import slice, as lock_prospect_skill does for prospects), so they carry no
-- per-row foreign key check: on a 10,000,000-number load that check would be one probe a row.
