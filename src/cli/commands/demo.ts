import path from 'node:path';
import type { Command } from 'commander';
import type { AppDeps } from '../../app-deps';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { DEMO_SKILL_NO, ensureDemoSkillViaApi } from '../../demo/demo-skill';
import { scopeToInstallation } from '../../services/installation-scope';
import { readConfig, reportError, roleLogger } from '../cli-runtime';
import { startEmbeddedPostgres } from '../embedded-postgres';
import { ExitCode } from '../exit-code';
import { QUEUE_NEEDS } from '../queue-needs';
import { fraction, wholeNumber } from '../option-parsers';
import { closeParts, runUntilSignalled, STOP_DEADLINE_MS, type RolePart } from '../role-lifetime';

/** Where `demo` keeps its embedded PostgreSQL when DATABASE_URL is unset (gitignored). */
const EMBEDDED_DIR = '.prospect-feeder';

/** How long demo-dialer waits for the API to answer (compose starts it beside the service). */
const API_WAIT_MS = 180_000;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole demo in one process: migrate, the API, workers, brain, the demo CRM and a dialer')
    .option('--crm-port <port>', 'port of the demo CRM (default: any free port)', wholeNumber(0, 65_535), 0)
    .option('--claims-per-second <n>', 'contacts the simulated dialer claims per second', wholeNumber(1, 1_000), 5)
    .addHelpText(
      'after',
      `
With DATABASE_URL unset, runs on an embedded PostgreSQL (data in ./${EMBEDDED_DIR}/, kept between runs) with
QUEUE_BACKEND=postgres.
${QUEUE_NEEDS}
The API listens on PORT; open /dashboard. Stop with Ctrl-C.`,
    )
    .action((opts: { crmPort: number; claimsPerSecond: number }) =>
      runForever(
        'demo',
        async (deps, started) => {
          await migrate(deps.pool);
          // The demo's modules load the whole service: only when a demo runs (see roles.ts).
          const { runDemo } = require('../../demo/run-demo') as typeof import('../../demo/run-demo');
          const demo = await runDemo(
            { ...deps, config: await scopeToInstallation(deps.pool, deps.config) },
            { crmPort: opts.crmPort, claimsPerSecond: opts.claimsPerSecond },
          );
          started.push({ name: 'demo', close: () => demo.close() });
          const dashboard = `${demo.apiUrl}/dashboard`;
          deps.logger.info({ dashboard, crm: demo.crmUrl, skillNo: demo.skillNo }, `prospect-feeder is up: open ${dashboard}`);
        },
        { embeddedDatabase: !process.env.DATABASE_URL },
      ),
    );

  program
    .command('demo-crm')
    .description('serve the demo CRM over HTTP: GET /leads?limit=&cursor=, POST /results')
    .option('--port <port>', 'port to listen on', wholeNumber(0, 65_535), 4000)
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--seed <n>', 'seed of the endless lead stream', wholeNumber(0), 1)
    .option('--bad-row-rate <rate>', 'share of deliberately bad leads, 0..1', fraction, 0.1)
    .action((opts: { port: number; host: string; seed: number; badRowRate: number }) =>
      runForever(
        'demo-crm',
        async (deps, started) => {
          const { startDemoCrmServer } = require('../../demo/demo-crm-server') as typeof import('../../demo/demo-crm-server');
          const crm = await startDemoCrmServer({ port: opts.port, host: opts.host, seed: opts.seed, badRowRate: opts.badRowRate });
          started.push({ name: 'demo CRM', close: () => crm.close() });
          deps.logger.info({ url: crm.url, port: crm.port }, 'prospect-feeder is up');
        },
        { database: false },
      ),
    );

  program
    .command('demo-dialer')
    .description('create the demo skill (its connector pointing at the demo CRM) through the API, then play a dialer')
    .requiredOption('--api <url>', 'the service API, e.g. http://127.0.0.1:3000')
    .requiredOption('--crm <url>', "the demo CRM as the service's workers reach it, e.g. http://127.0.0.1:4000")
    .option('--skill <SkillNo>', 'the demo skill', wholeNumber(1), DEMO_SKILL_NO)
    .option('--claims-per-second <n>', 'contacts claimed per second', wholeNumber(1, 1_000), 5)
    .addHelpText('after', '\nAPI_KEY (environment): an operator key, sent as Bearer, when the API has keys.')
    .action((opts: { api: string; crm: string; skill: number; claimsPerSecond: number }) =>
      runForever(
        'demo-dialer',
        async (deps, started) => {
          const apiUrl = opts.api.replace(/\/+$/, '');
          const apiKey = process.env.API_KEY || undefined;
          await untilAnswered(deps, () =>
            ensureDemoSkillViaApi({ apiUrl, crmUrl: opts.crm.replace(/\/+$/, ''), skillNo: opts.skill, ...(apiKey ? { apiKey } : {}) }),
          );
          const { startDialerSimulator } = require('../../demo/dialer-simulator') as typeof import('../../demo/dialer-simulator');
          const dialer = startDialerSimulator({
            apiUrl,
            skillNo: opts.skill,
            claimsPerSecond: opts.claimsPerSecond,
            logger: deps.logger,
            ...(apiKey ? { apiKey } : {}),
          });
          started.push({ name: 'dialer', close: () => dialer.close() });
          const report = setInterval(() => deps.logger.info({ ...dialer.stats }, 'dialer'), 30_000);
          report.unref();
          started.push({ name: 'dialer report', close: async () => clearInterval(report) });
          deps.logger.info({ apiUrl, skillNo: opts.skill }, 'prospect-feeder is up');
        },
        { database: false },
      ),
    );
}

/**
 * Runs a long-lived demo process until SIGTERM/SIGINT, like the service roles. Parts pushed on
 * `started` close in reverse. The demo CRM and the dialer need no database: they get a pool that
 * never connects. With `embeddedDatabase`, an embedded PostgreSQL is started first (and so
 * stopped last) and the process runs on it with the postgres queue backend.
 */
async function runForever(
  role: string,
  start: (deps: AppDeps, started: RolePart[]) => Promise<void>,
  opts: { database?: boolean; embeddedDatabase?: boolean } = {},
): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (err) {
    process.exit(reportError(err));
  }
  const logger = roleLogger(config, role);
  const started: RolePart[] = [];
  runUntilSignalled(logger, started);
  try {
    if (opts.embeddedDatabase) {
      const startedAt = Date.now();
      const dir = path.resolve(EMBEDDED_DIR);
      const db = await startEmbeddedPostgres({ dir, database: 'prospect_feeder', onProgress: (m) => logger.info(m) });
      started.push({ name: 'embedded PostgreSQL', close: () => db.stop() });
      // Nothing but the embedded database is needed, unless QUEUE_BACKEND asks for Redis.
      config = { ...config, databaseUrl: db.url, queueBackend: process.env.QUEUE_BACKEND ? config.queueBackend : 'postgres' };
      logger.info(
        { version: db.version, data: dir, reused: !db.created, ms: Date.now() - startedAt },
        `database: embedded PostgreSQL ${db.version}${db.created ? ' (new cluster)' : ''}`,
      );
    }
  } catch (err) {
    logger.error({ err: err instanceof Error ? err.message : String(err) }, 'could not start the embedded PostgreSQL');
    process.exit(ExitCode.Failed);
  }
  const pool = createPool(config.databaseUrl, { max: opts.database === false ? 1 : 10 });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database connection failed'));
  started.push({ name: 'database pool', close: () => pool.end() });
  try {
    await start({ config, pool, logger, now: () => new Date() }, started);
  } catch (err) {
    logger.error({ role, err: err instanceof Error ? err.message : String(err) }, 'could not start');
    await closeParts(logger, [...started].reverse(), STOP_DEADLINE_MS);
    process.exit(ExitCode.Failed);
  }
}

/** Retries `work` every 2 s until it succeeds or API_WAIT_MS passes (then throws its last error). */
async function untilAnswered(deps: AppDeps, work: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + API_WAIT_MS;
  let lastLog = 0;
  for (;;) {
    try {
      await work();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        deps.logger.info({ err: err instanceof Error ? err.message : String(err) }, 'waiting for the API');
      }
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}
