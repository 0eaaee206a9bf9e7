-- What QUEUE_BACKEND=postgres keeps in the service's own tables instead of Redis (BullMQ's own
-- tables live in a schema of their own, made by BullMQ's migrator). With QUEUE_BACKEND=redis these
-- tables stay empty.

-- The results stream: one row per published run, read forward by id (the cursor). Trimmed to
-- about the last 1,000 runs, as the Redis stream is; a NOTIFY on `prospect_feeder_results` with
-- the new id wakes readers that wait.
CREATE TABLE results_stream (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id       bigint NOT NULL,
  skill_no     integer NOT NULL,
  source_name  text NOT NULL,
  counts       jsonb NOT NULL,
  results      jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);

-- The brain's last check of each skill (epoch ms): one read a tick.
CREATE TABLE refill_check_times (
  skill_no integer PRIMARY KEY,
  check_ms bigint NOT NULL
);

-- The queue dashboard's history: one sample per skill per slot, kept an hour.
CREATE TABLE queue_history (
  skill_no integer NOT NULL,
  t_ms     bigint NOT NULL,
  depth    integer NOT NULL,
  callable integer NOT NULL,
  low      integer,
  target   integer,
  PRIMARY KEY (skill_no, t_ms)
);
CREATE INDEX queue_history_t_idx ON queue_history (t_ms);

-- The slots taken: the first process to insert a slot writes its sample (the Redis SET NX).
CREATE TABLE queue_history_slots (
  slot bigint PRIMARY KEY
);
