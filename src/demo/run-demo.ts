import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { buildServiceApp } from '../api/service-api';
import { startBrain } from '../queue/brain';
import type { QueueTuning } from '../queue/queue-settings';
import { RefillQueue } from '../queue/refill-queue';
import type { RoleHandle } from '../queue/role-handle';
import { startWorker } from '../queue/worker-role';
import { setSourceMap } from '../services/set-source-map';
import { putSkill } from '../services/skills';
import { DEMO_SOURCE_MAP } from '../connectors/demo-crm';
export { DEMO_SKILL_NO, DEMO_SOURCE_NAME } from './demo-skill';
import { startDemoCrmServer, type DemoCrmServer } from './demo-crm-server';
import { DEMO_SKILL_NO, DEMO_SOURCE_NAME, demoSkillBody } from './demo-skill';
import { startDialerSimulator, type DialerSimulator } from './dialer-simulator';

export interface DemoOptions {
  skillNo?: number;
  /** Port of the demo CRM (0: any free port). */
  crmPort?: number;
  /** Port of the API; the config's PORT when absent (0: any free port). */
  apiPort?: number;
  claimsPerSecond?: number;
  /** Start the dialer simulator (default true). */
  dialer?: boolean;
  tuning?: Partial<QueueTuning>;
}

export interface RunningDemo {
  apiUrl: string;
  crmUrl: string;
  skillNo: number;
  crm: DemoCrmServer;
  dialer: DialerSimulator | null;
  close(): Promise<void>;
}

/**
 * The whole loop on one machine: the demo CRM on HTTP, the API, a worker, a brain and a dialer
 * that claims and reports outcomes, around one demo skill whose queue then drains and refills by
 * itself (see demoSkillBody for its thresholds).
 */
export async function runDemo(deps: AppDeps, opts: DemoOptions = {}): Promise<RunningDemo> {
  const skillNo = opts.skillNo ?? DEMO_SKILL_NO;
  const log = deps.logger.child({ role: 'demo' });
  const stack: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;
  // Parts stop in the reverse order of their start: the dialer first, the demo CRM last.
  const close = () =>
    (closing ??= (async () => {
      for (const stop of [...stack].reverse()) {
        await stop().catch((err: unknown) => log.warn({ err: String(err) }, 'demo: stopping a part failed'));
      }
    })());

  try {
    const crm = await startDemoCrmServer({ port: opts.crmPort ?? 0, host: '127.0.0.1' });
    stack.push(() => crm.close());

    await setSourceMap(deps, DEMO_SOURCE_NAME, DEMO_SOURCE_MAP);
    await putSkill(deps, skillNo, demoSkillBody(crm.url));

    const refillQueue = new RefillQueue(deps.config);
    stack.push(() => refillQueue.close());
    const app: FastifyInstance = buildServiceApp(deps, refillQueue);
    stack.push(() => app.close());
    await app.listen({ port: opts.apiPort ?? deps.config.port, host: deps.config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : deps.config.port;
    const apiUrl = `http://127.0.0.1:${port}`;

    const roleOpts = opts.tuning ? { tuning: opts.tuning } : {};
    const worker: RoleHandle = await startWorker(deps, roleOpts);
    stack.push(() => worker.close());
    const brain: RoleHandle = await startBrain(deps, roleOpts);
    stack.push(() => brain.close());

    let dialer: DialerSimulator | null = null;
    if (opts.dialer !== false) {
      const apiKey = keyFor(deps.config.apiKeys, ['dialer', 'operator']);
      dialer = startDialerSimulator({
        apiUrl,
        skillNo,
        ...(apiKey ? { apiKey } : {}),
        claimsPerSecond: opts.claimsPerSecond ?? 5,
        logger: log,
      });
      const d = dialer;
      stack.push(() => d.close());
    }
    log.info({ apiUrl, crmUrl: crm.url, skillNo }, 'demo running: the dialing queue drains and refills by itself');
    return { apiUrl, crmUrl: crm.url, skillNo, crm, dialer, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The first key of the given roles in `API_KEYS` (`role:key,...`), for the demo's own calls. */
function keyFor(apiKeys: string | undefined, roles: string[]): string | undefined {
  const pairs = (apiKeys ?? '').split(',').map((p) => p.trim().split(':'));
  for (const role of roles) {
    const pair = pairs.find(([r, k]) => r?.trim() === role && k);
    if (pair) return pair.slice(1).join(':').trim();
  }
  return undefined;
}
