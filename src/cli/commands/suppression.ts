import type { Command } from 'commander';
import { checkSuppression } from '../../services/suppression-check';
import { importSuppressionFile, type SuppressionImportOutcome } from '../../services/suppression-import';
import { withDeps } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode } from '../exit-code';
import { importProgress } from '../import-progress';
import { interruptSignal } from '../interrupt';
import { skillNo } from '../option-parsers';
import { textTable } from '../text-table';

export function registerSuppression(program: Command): void {
  const suppression = program
    .command('suppression')
    .description('do-not-call: load a suppression list, check a number (contract section 8)');

  suppression
    .command('import')
    .description('load a file of phone numbers into a suppression list (streamed, in slices)')
    .argument('<file>', 'one number a line, or a CSV whose header row has a PhoneNumber column')
    .requiredOption('--list <ListName>', 'the list to load into (create it first: PUT /v1/suppression-lists/{ListName})')
    .option('--no-progress', 'no progress bar or progress lines')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nNumbers are read as create-prospects reads them (DEFAULT_COUNTRY for national numbers) and kept in E.164.\n' +
        'The file is read and staged first, then stored in slices in number order, each in its own transaction;\n' +
        'an interrupted import keeps the slices stored (none when interrupted while the file is read).\n' +
        'Exit 0 when every line loaded, 1 when some lines were not valid numbers, 2 for a usage or call-level error\n' +
        '(unknown list, missing file), 130 when interrupted.',
    )
    .action(
      commandAction(async (file: string, opts: { list: string; progress: boolean; json?: boolean }) =>
        withDeps(async (deps) => {
          const interrupt = interruptSignal();
          const progress = importProgress(process.stderr, !opts.progress);
          const started = Date.now();
          let outcome: SuppressionImportOutcome;
          try {
            outcome = await importSuppressionFile(
              deps,
              { file, listName: opts.list },
              { onProgress: (p) => progress.update(p), signal: interrupt.signal },
            );
          } finally {
            progress.stop();
            interrupt.release();
          }
          reportImport(outcome, (Date.now() - started) / 1000, opts.json === true);
          if (outcome.interrupted) return ExitCode.Interrupted;
          return outcome.invalid > 0 ? ExitCode.Failed : ExitCode.Ok;
        }),
      ),
    );

  suppression
    .command('check')
    .description('is this number suppressed (for this skill), by what, since when')
    .argument('<PhoneNumber>', 'the number, as create-prospects reads one')
    .option('--skill <SkillNo>', 'only the lists this skill applies', skillNo)
    .option('--json', 'print the answer as JSON')
    .addHelpText(
      'after',
      '\nExit 0 whether or not the number is suppressed (the answer says); 2 for a number that is not valid or an unknown skill.',
    )
    .action(
      commandAction(async (number: string, opts: { skill?: number; json?: boolean }) =>
        withDeps(async (deps) => {
          const answer = await checkSuppression(deps, { PhoneNumber: number, SkillNo: opts.skill });
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(answer)}\n`);
            return ExitCode.Ok;
          }
          const scope = opts.skill !== undefined ? ` for skill ${opts.skill}` : '';
          const lines = [`${answer.PhoneNumber} is ${answer.Suppressed ? '' : 'not '}suppressed${scope}`];
          if (answer.Suppressed) {
            lines.push(
              textTable(answer.Matches, [
                { header: 'List', value: (m) => m.ListName },
                { header: 'Entry', value: (m) => m.PhoneNumber ?? `${m.Prefix} (prefix)` },
                { header: 'Since', value: (m) => m.AddedAt },
                { header: 'Expires', value: (m) => m.ExpiresAt ?? 'never' },
                { header: 'Reason', value: (m) => m.Reason ?? '' },
              ]).trimEnd(),
            );
          }
          process.stdout.write(`${lines.join('\n')}\n`);
          return ExitCode.Ok;
        }),
      ),
    );
}

function reportImport(outcome: SuppressionImportOutcome, seconds: number, json: boolean): void {
  const rate = Math.round(outcome.lines / Math.max(seconds, 0.001));
  if (json) {
    process.stdout.write(
      `${JSON.stringify({
        Lines: outcome.lines,
        Added: outcome.added,
        Updated: outcome.updated,
        Unchanged: outcome.unchanged,
        Invalid: outcome.invalid,
        InvalidLines: outcome.invalidLines,
        Interrupted: outcome.interrupted,
        Seconds: Math.round(seconds * 10) / 10,
        NumbersPerSecond: rate,
      })}\n`,
    );
    return;
  }
  const lines = [
    `${outcome.interrupted ? 'suppression import interrupted' : 'suppression import done'}: ${outcome.lines} lines in ${seconds.toFixed(1)} s (${rate} numbers/s)`,
    `Added ${outcome.added}, Updated ${outcome.updated}, Unchanged ${outcome.unchanged}, not valid numbers ${outcome.invalid}` +
      (outcome.invalid > 0
        ? ` (lines ${outcome.invalidLines.join(', ')}${outcome.invalid > outcome.invalidLines.length ? ', ...' : ''})`
        : ''),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
