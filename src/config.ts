import { z } from 'zod';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { CallingRulesFileError, callingRulesInForce } from './calling-rules-in-force';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;
const COUNTRIES = new Set<string>(getCountries());
export const QUEUE_BACKENDS = ['redis', 'postgres'] as const;
export type QueueBackendName = (typeof QUEUE_BACKENDS)[number];

const ConfigSchema = z.object({
  DATABASE_URL: z.string().url().default('postgres://root@127.0.0.1:5432/test'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DEFAULT_COUNTRY: z
    .string()
    .default('US')
    .transform((s) => s.toUpperCase())
    .refine((s) => COUNTRIES.has(s), { message: 'must be an ISO 3166 region code such as US or GB' }),
  MAX_DESTINATIONS: z.coerce.number().int().min(1).max(100).default(10),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  API_KEYS: z.string().optional(),
  /** Prefix of every BullMQ queue and Redis key, so several installs can share one Redis. */
  QUEUE_PREFIX: z.string().min(1).default('prospect-feeder'),
  /** Where BullMQ and the service's own queue-side state live: Redis, or the service's PostgreSQL. */
  QUEUE_BACKEND: z.enum(QUEUE_BACKENDS).default('redis'),
  /** Days a run's undo data is kept; older runs cannot be undone and their undo data is purged. */
  UNDO_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** A JSON file of the installation's own calling rules, added to the repository's (README "Calling rules"). */
  CALLING_RULES_FILE: z.string().optional(),
});

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  host: string;
  defaultCountry: CountryCode;
  maxDestinations: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** LOG_FORMAT as set; unset means pretty on a terminal, JSON lines otherwise (observability/logger.ts). */
  logFormat: (typeof LOG_FORMATS)[number] | undefined;
  apiKeys: string | undefined;
  /**
   * QUEUE_PREFIX as configured. The roles and commands scope it to their database before any
   * queue or key is made (queue/installation-scope.ts): keys live under `<QUEUE_PREFIX>:<installation id>`.
   */
  queuePrefix: string;
  /**
   * `redis`: BullMQ, the results stream, the dashboard history and the brain's check times in
   * Redis. `postgres`: all of them in DATABASE_URL's database, and no Redis connection at all.
   */
  queueBackend: QueueBackendName;
  /** UNDO_RETENTION_DAYS: how long a run can be undone (contract section 10). */
  undoRetentionDays: number;
  /** CALLING_RULES_FILE as set; read and checked here, applied through callingRulesInForce(). */
  callingRulesFile: string | undefined;
}

export class ConfigError extends Error {
  readonly code = 'InvalidConfig';
}

/** Reads and validates the environment once, naming every bad variable in one message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(blanksRemoved);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  try {
    callingRulesInForce(c.CALLING_RULES_FILE);
  } catch (err) {
    if (err instanceof CallingRulesFileError) throw new ConfigError(`invalid configuration:\n  ${err.message}`);
    throw err;
  }
  return {
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    port: c.PORT,
    host: c.HOST,
    defaultCountry: c.DEFAULT_COUNTRY as CountryCode,
    maxDestinations: c.MAX_DESTINATIONS,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    apiKeys: c.API_KEYS,
    queuePrefix: c.QUEUE_PREFIX,
    queueBackend: c.QUEUE_BACKEND,
    undoRetentionDays: c.UNDO_RETENTION_DAYS,
    callingRulesFile: c.CALLING_RULES_FILE,
  };
}
