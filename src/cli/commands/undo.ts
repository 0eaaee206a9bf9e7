import type { Command } from 'commander';
import { undoRun } from '../../services/undo-run';
import { withDeps } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode } from '../exit-code';
import { wholeNumber } from '../option-parsers';
import { textTable } from '../text-table';

/** The role an undo from the command line is recorded with (the API records the key's role). */
export const CLI_UNDO_ROLE = 'cli';

export function registerUndo(program: Command): void {
  program
    .command('undo')
    .description('undo a run: remove the prospects it created, put back the ones it updated (contract section 10)')
    .argument('<RUN_ID>', 'the run to undo (see `prospect-feeder runs`)', wholeNumber(1))
    .option('--json', 'print the answer counts as JSON')
    .addHelpText(
      'after',
      '\nEach record the run loaded is answered Removed, Restored, or ChangedSince (changed after the run: left as it is).\n' +
        'Exit 0 when done, 2 when refused (unknown run, undone already, a load of its source running, older than UNDO_RETENTION_DAYS).',
    )
    .action(commandAction((id: number, opts: { json?: boolean }) => runUndo(id, opts)));
}

async function runUndo(id: number, opts: { json?: boolean }): Promise<number> {
  return withDeps(async (deps) => {
    // Counted slice by slice: a run of 1,000,000 records is undone with flat memory here too.
    const outcome = await undoRun(deps, id, CLI_UNDO_ROLE);
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ RunId: outcome.runId, Summary: outcome.counts, UndoneAt: outcome.undoneAt.toISOString() })}\n`,
      );
    } else {
      const rows = Object.entries(outcome.counts).sort((a, b) => b[1] - a[1]);
      process.stdout.write(
        `run ${outcome.runId} undone\n${textTable(rows, [
          { header: 'ResultCode', value: ([code]) => code },
          { header: 'Records', value: ([, n]) => n },
        ])}`,
      );
    }
    return ExitCode.Ok;
  });
}
