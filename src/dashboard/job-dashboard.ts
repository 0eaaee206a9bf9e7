import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyPluginAsync } from 'fastify';
import { redactDeep, redactText } from '../observability/redact';
import { CallError } from '../services/errors';
import { withStatus } from '../web/call-error-status';

export const JOB_DASHBOARD_PATH = '/admin/queues';

export interface JobDashboardOptions {
  /** The project's BullMQ queues (fetch, writeback, brain). */
  queues: readonly Queue[];
}

/** Fields of a job, wherever one appears in a board answer, that may carry a record or an error text. */
const JOB_TEXT_FIELDS = new Set(['data', 'returnValue', 'returnvalue', 'failedReason', 'stacktrace', 'template']);

/**
 * The job dashboard (bull-board) at `/admin/queues`. Phone numbers never reach it in full: job data,
 * return values and names pass the adapters' formatters, and every answer of the board's API passes
 * an `after` hook that masks the fields formatters do not cover (failure reasons, stack traces,
 * logs, scheduler templates). Access is the access plugin's: viewers read, operators also act.
 */
export const jobDashboard: FastifyPluginAsync<JobDashboardOptions> = async (app, opts) => {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(JOB_DASHBOARD_PATH);
  const adapters = opts.queues.map((queue) => {
    const adapter = new BullMQAdapter(queue, { displayName: queue.name, description: `BullMQ queue "${queue.name}"` });
    adapter.setFormatter('data', (data) => redactDeep(data));
    adapter.setFormatter('returnValue', (value) => redactDeep(value));
    adapter.setFormatter('name', (job: { name?: string }) => redactText(job.name ?? ''));
    return adapter;
  });
  createBullBoard({
    queues: adapters,
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'prospect-feeder jobs',
        hideDocsLink: true,
        miscLinks: [
          { text: 'Queue dashboard', url: '/dashboard' },
          { text: 'Sign out', url: '/logout' },
        ],
      },
      handlerHooks: {
        after: (context, result) =>
          context.route.endsWith('/logs')
            ? { ...result, body: redactDeep(result.body) as typeof result.body }
            : { ...result, body: maskJobFields(result.body) as typeof result.body },
      },
    },
  });
  await app.register(
    async (board) => {
      // bull-board's validation splits its messages on NUL, so a body value holding one answered 500.
      // The input guard has bounded the body's depth by now, so stringifying it is safe and cheap.
      board.addHook('preValidation', async (request) => {
        if (request.body !== undefined && (JSON.stringify(request.body) ?? '').includes('\\u0000')) {
          throw withStatus(new CallError('InvalidData', 'the body holds the NUL character, which no job dashboard value may contain'));
        }
      });
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: JOB_DASHBOARD_PATH },
  );
};

function maskJobFields(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((v) => maskJobFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = JOB_TEXT_FIELDS.has(k) ? redactDeep(v) : maskJobFields(v, depth + 1);
  }
  return out;
}
