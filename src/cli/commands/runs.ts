import type { Command } from 'commander';
import { isSuccess } from '../../domain/result-code';
import { DEFAULT_RUN_LIST, listRunViews, MAX_RUN_LIST, type RunView } from '../../services/read-runs';
import { withDeps } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode } from '../exit-code';
import { skillNo, wholeNumber } from '../option-parsers';
import { textTable } from '../text-table';

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list recent runs (API calls, refills, imports), newest first')
    .option('--skill <SkillNo>', 'only runs of this skill', skillNo)
    .option('--limit <n>', `how many (at most ${MAX_RUN_LIST})`, wholeNumber(1, MAX_RUN_LIST), DEFAULT_RUN_LIST)
    .option('--json', 'print JSON instead of a table')
    .action(
      commandAction(async (opts: { skill?: number; limit: number; json?: boolean }) =>
        withDeps(async (deps) => {
          const runs = await listRunViews(deps, { Limit: opts.limit, ...(opts.skill !== undefined ? { SkillNo: opts.skill } : {}) });
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ Runs: runs })}\n`);
          } else if (runs.length === 0) {
            process.stdout.write('no runs yet\n');
          } else {
            process.stdout.write(
              textTable(runs, [
                { header: 'RunId', value: (r) => r.RunId },
                { header: 'SkillNo', value: (r) => r.SkillNo },
                { header: 'Source', value: (r) => r.SourceName },
                { header: 'Origin', value: (r) => r.Origin },
                { header: 'Status', value: statusOf },
                { header: 'Records', value: (r) => r.RecordCount },
                { header: 'Failed', value: failedOf },
                { header: 'Started', value: (r) => r.StartedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') },
                { header: 'Seconds', value: (r) => secondsOf(r), align: 'right' },
              ]),
            );
          }
          return ExitCode.Ok;
        }),
      ),
    );
}

/** An import still going (or cut off by a crash) has no finish time yet. */
function statusOf(r: RunView): string {
  return r.FinishedAt === null && r.Status === 'Completed' ? 'Running' : r.Status;
}

function failedOf(r: RunView): number {
  return Object.entries(r.Counts).reduce((sum, [code, n]) => (isSuccess(code) ? sum : sum + n), 0);
}

function secondsOf(r: RunView): string | null {
  if (r.FinishedAt === null) return null;
  return ((Date.parse(r.FinishedAt) - Date.parse(r.StartedAt)) / 1000).toFixed(1);
}
