/**
 * What a command that touches the job queues needs, as its help says it: true whichever
 * QUEUE_BACKEND is configured (help is printed before the configuration is read).
 */
export const QUEUE_NEEDS =
  'Needs Postgres (DATABASE_URL) and, with QUEUE_BACKEND=redis (the default), Redis (REDIS_URL);\n' +
  'with QUEUE_BACKEND=postgres the job queues live in the same database and no Redis is used.';
