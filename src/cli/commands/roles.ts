import type { Command } from 'commander';
import { ApiKeysError, KeyRing, openAccessWarning } from '../../api/access/api-keys';
import type { AppDeps } from '../../app-deps';
import { createPool } from '../../db/pool';
import type { CountableQueue } from '../../observability/metrics';
import type { RoleHandle } from '../../queue/role-handle';
import { scopeToInstallation } from '../../services/installation-scope';
import { readConfig, reportError, roleLogger } from '../cli-runtime';
import { ExitCode, UsageError } from '../exit-code';
import { closeParts, runUntilSignalled, STOP_DEADLINE_MS, type RolePart } from '../role-lifetime';

type Role = 'start' | 'api' | 'worker' | 'brain';

const ROLES: { name: Role; description: string }[] = [
  { name: 'start', description: 'run the whole service in one process: HTTP API, workers and brain (the default for a laptop)' },
  { name: 'api', description: 'run the HTTP API alone' },
  { name: 'worker', description: 'run the fetch and write-back workers alone (serves /healthz, /readyz, /metrics on PORT)' },
  { name: 'brain', description: 'run the refill brain alone (serves /healthz, /readyz, /metrics on PORT)' },
];

export function registerRoles(program: Command): void {
  for (const role of ROLES) {
    program
      .command(role.name)
      .description(role.description)
      .action(() => runRole(role.name));
  }
}

/**
 * Starts a role and keeps it until SIGTERM/SIGINT. Parts start in dependency order (the pool,
 * the health server, workers before the brain that feeds them, the API last, once it can serve)
 * and close in reverse. A start that fails closes what did start and exits 1; a bad API_KEYS
 * exits 2.
 */
async function runRole(role: Role): Promise<void> {
  let config;
  let keys: KeyRing | null = null;
  try {
    config = readConfig();
    const servesApi = role === 'start' || role === 'api';
    if (servesApi) keys = parseKeys(config.apiKeys);
  } catch (err) {
    process.exit(reportError(err));
  }
  const logger = roleLogger(config, role);
  const started: RolePart[] = [];
  runUntilSignalled(logger, started);

  const pool = createPool(config.databaseUrl);
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database connection failed'));
  started.push({ name: 'database pool', close: () => pool.end() });

  try {
    // Every queue and Redis key of the roles lives under this database's installation id.
    const deps: AppDeps = { config: await scopeToInstallation(pool, config), pool, logger, now: () => new Date() };
    // Required here, not imported at the top: every command loads this file, and the service's modules
    // (fastify, bullmq, bull-board) were ~50 MB of resident memory in an import that never uses them.
    const { startHealthServer } = require('../../api/health-server') as typeof import('../../api/health-server');
    const { startWorker } = require('../../queue/worker-role') as typeof import('../../queue/worker-role');
    const { startBrain } = require('../../queue/brain') as typeof import('../../queue/brain');
    const { startServiceApi } = require('../../api/service-api') as typeof import('../../api/service-api');
    // Read at each scrape: filled as the roles start.
    const queues: CountableQueue[] = [];
    let healthPort: number | undefined;
    if (role === 'worker' || role === 'brain') {
      // Health first: a probe sees the process up while it connects to Redis.
      const health = await startHealthServer(deps, { queues });
      started.push({ name: 'health server', close: () => health.close() });
      healthPort = health.port;
    }
    if (role === 'start' || role === 'worker') queues.push(...(await startPart(started, 'worker', () => startWorker(deps))).queues);
    if (role === 'start' || role === 'brain') queues.push(...(await startPart(started, 'brain', () => startBrain(deps))).queues);

    let address: string | undefined;
    if (role === 'start' || role === 'api') {
      const warning = openAccessWarning(keys);
      if (warning) logger.warn(warning);
      const api = await startServiceApi(deps, keys);
      started.push({ name: 'api', close: () => api.close() });
      address = api.address;
    }
    logger.info({ role, ...(address ? { address } : { healthPort }) }, 'prospect-feeder is up');
  } catch (err) {
    logger.error({ role, err: err instanceof Error ? err.message : String(err) }, 'could not start');
    await closeParts(logger, [...started].reverse(), STOP_DEADLINE_MS);
    process.exit(ExitCode.Failed);
  }
}

async function startPart(started: RolePart[], name: string, start: () => Promise<RoleHandle>): Promise<RoleHandle> {
  const handle = await start();
  started.push({ name, close: () => handle.close() });
  return handle;
}

function parseKeys(raw: string | undefined): KeyRing | null {
  try {
    return KeyRing.parse(raw);
  } catch (err) {
    if (err instanceof ApiKeysError) throw new UsageError(err.code, err.message);
    throw err;
  }
}
