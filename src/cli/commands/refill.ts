import type { Command } from 'commander';
import type { RefillJobResult } from '../../queue/fetch-worker';
import type { RefillQueue } from '../../queue/refill-queue';
import { triggerRefill } from '../../services/trigger-refill';
import { withDeps } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode } from '../exit-code';
import { skillNo, wholeNumber } from '../option-parsers';
import { QUEUE_NEEDS } from '../queue-needs';
import { textTable } from '../text-table';

const POLL_MS = 500;

interface RefillOptions {
  skill: number;
  count?: number;
  wait?: boolean;
  timeout: number;
  json?: boolean;
}

export function registerRefill(program: Command): void {
  program
    .command('refill')
    .description('queue a refill of a skill now (the same as POST /v1/skills/{SkillNo}/refill)')
    .requiredOption('--skill <SkillNo>', 'the skill to refill', skillNo)
    .option(
      '--count <n>',
      'records to fetch, at most the room left under MaxInventory (default: TargetDepth - CallableNow, as the brain would)',
      wholeNumber(1),
    )
    .option('--wait', "wait for the refill job to finish and print its run's counts by ResultCode")
    .option('--timeout <seconds>', 'how long --wait waits', wholeNumber(1), 120)
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      '\nA refill already waiting or running for the skill is the answer (Deduplicated: yes).\n' +
        `${QUEUE_NEEDS}\nThe job runs on a worker (\`start\` or \`worker\`).\n` +
        'Exit 0 when queued (with --wait: when the job completed), 1 when the job failed or --wait timed out,\n' +
        '2 for an unknown skill, one without Refill.Connector, or one at or past its MaxInventory (InventoryFull).',
    )
    .action(commandAction((opts: RefillOptions) => refill(opts)));
}

async function refill(opts: RefillOptions): Promise<number> {
  return withDeps(async (deps) => {
    // bullmq only when a refill is asked for, not in every command (see roles.ts).
    const { RefillQueue } = require('../../queue/refill-queue') as typeof import('../../queue/refill-queue');
    const queue = new RefillQueue(deps.config);
    try {
      const answer = await triggerRefill(deps, queue, opts.skill, opts.count === undefined ? {} : { Count: opts.count });
      if (!opts.wait) {
        if (opts.json) print(JSON.stringify(answer));
        else print(`JobId: ${answer.JobId}\nDeduplicated: ${answer.Deduplicated ? 'yes' : 'no'}\nCount: ${answer.Count}`);
        return ExitCode.Ok;
      }
      if (!opts.json) print(`JobId: ${answer.JobId}\nDeduplicated: ${answer.Deduplicated ? 'yes' : 'no'}\nwaiting for the job...`);
      const finished = await waitForJob(queue, answer.JobId, opts.timeout * 1000);
      if (opts.json) {
        print(JSON.stringify({ ...answer, ...finished }));
      } else if (finished.State === 'completed') {
        const result = finished.Result;
        if (!result || result.runId === null) {
          print('completed: the CRM had nothing new');
        } else {
          print(`completed: RunId ${result.runId}, ${result.fetched} records fetched`);
          const rows = Object.entries(result.counts).sort((a, b) => b[1] - a[1]);
          process.stdout.write(
            textTable(rows, [
              { header: 'ResultCode', value: ([code]) => code },
              { header: 'Records', value: ([, n]) => n },
            ]),
          );
        }
      } else if (finished.State === 'failed') {
        process.stderr.write(`prospect-feeder: the refill job failed: ${finished.FailedReason ?? 'no reason given'}\n`);
      } else {
        process.stderr.write(
          `prospect-feeder: the refill job was still ${finished.State} after ${opts.timeout} s (is a worker running?)\n`,
        );
      }
      return finished.State === 'completed' ? ExitCode.Ok : ExitCode.Failed;
    } finally {
      await queue.close(2_000);
    }
  });
}

interface FinishedJob {
  State: string;
  Result?: RefillJobResult;
  FailedReason?: string;
}

/** Polls the job's state: simpler than queue events, and it also sees a job that finished before we looked. */
async function waitForJob(queue: RefillQueue, jobId: string, timeoutMs: number): Promise<FinishedJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.queue.getJob(jobId);
    if (!job) return { State: 'unknown' };
    const state = await job.getState();
    if (state === 'completed') return { State: state, Result: job.returnvalue as RefillJobResult };
    // A failed attempt that will be retried is `delayed` or `waiting`, not `failed`.
    if (state === 'failed') return { State: state, FailedReason: job.failedReason };
    if (Date.now() >= deadline) return { State: state };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
