import { Option, type Command } from 'commander';
import { DEFAULT_IMPORT_BATCH, importFile, prepareImport, type ImportOutcome } from '../../services/import-file';
import { RECORD_FORMATS, type RecordFormat } from '../../services/record-file';
import { withDeps } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode, UsageError } from '../exit-code';
import { FailedRowsFile } from '../failed-rows-file';
import { importProgress } from '../import-progress';
import { interruptSignal } from '../interrupt';
import { skillNo, wholeNumber } from '../option-parsers';
import { textTable } from '../text-table';

interface ImportOptions {
  skill: number;
  source: string;
  batch: number;
  failedOut?: string;
  format?: RecordFormat;
  timeZoneReject: boolean;
  timeZoneDefault?: string;
  defaultExpirationDate?: string;
  json?: boolean;
  progress: boolean;
  dryRun?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('load a CSV or NDJSON file of source records into a skill (CREATEPROSPECTS v2, streamed)')
    .argument('<file>', 'a .csv (header row names the fields) or .ndjson/.jsonl file (one JSON record per line)')
    .requiredOption('--skill <SkillNo>', 'the skill to load into', skillNo)
    .requiredOption('--source <SourceName>', 'the source map that reads the records')
    .option('--batch <n>', 'records per batch and per transaction', wholeNumber(1, 50_000), DEFAULT_IMPORT_BATCH)
    .option('--failed-out <file>', 'write the failed rows here, in the input format, with ResultCode and ResultMessage added')
    .addOption(new Option('--format <format>', 'the file format (default: from the file extension)').choices(RECORD_FORMATS))
    .option('--time-zone-default <zone>', 'IANA zone for contacts whose zone cannot be found (NoTimeZoneReject "Yes", TimeZone <zone>)')
    .option('--no-time-zone-reject', 'NoTimeZoneReject "Yes": needs --time-zone-default')
    .option('--default-expiration-date <date>', 'expiration of rows without their own: a date (2026-12-31) or an ISO 8601 instant')
    .option('--dry-run', 'answer what the import would answer (summary, --failed-out) and write nothing: no run, no prospect')
    .option('--no-progress', 'no progress bar or progress lines')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nThe whole file is one run (origin Import): `prospect-feeder results RUN_ID` lists its results.\n' +
        'Each batch is stored in its own transaction; an interrupted import keeps the batches stored.\n' +
        'Exit 0 when every record loaded, 1 when some failed (see --failed-out), 2 for a usage or call-level error\n' +
        '(unknown skill or source, missing file, bad --time-zone-default), 130 when interrupted.',
    )
    .action(commandAction((file: string, opts: ImportOptions) => runImport(file, opts)));
}

async function runImport(file: string, opts: ImportOptions): Promise<number> {
  if (!opts.timeZoneReject && opts.timeZoneDefault === undefined) {
    throw new UsageError('InvalidTimeZone', '--no-time-zone-reject needs --time-zone-default <zone> to use instead');
  }
  return withDeps(async (deps) => {
    const prepared = await prepareImport(deps, {
      file,
      ...(opts.format ? { format: opts.format } : {}),
      SkillNo: opts.skill,
      SourceName: opts.source,
      NoTimeZoneReject: opts.timeZoneDefault !== undefined ? 'Yes' : 'No',
      TimeZone: opts.timeZoneDefault ?? null,
      DefaultExpirationDate: opts.defaultExpirationDate ?? null,
    });
    const failedOut = opts.failedOut ? new FailedRowsFile(opts.failedOut, prepared.source.format) : null;
    if (failedOut) {
      try {
        await failedOut.open();
      } catch (err) {
        throw new UsageError('FileNotWritable', `cannot write ${opts.failedOut}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }

    const interrupt = interruptSignal();
    const progress = importProgress(process.stderr, !opts.progress);
    const started = Date.now();
    let outcome: ImportOutcome;
    try {
      outcome = await importFile(deps, prepared, {
        batchSize: opts.batch,
        signal: interrupt.signal,
        dryRun: opts.dryRun === true,
        onProgress: (p) => progress.update(p),
        ...(failedOut ? { onFailures: (failures, columns) => failedOut.write(failures, columns) } : {}),
      });
    } finally {
      progress.stop();
      interrupt.release();
      await failedOut?.close(prepared.source.columns).catch(() => undefined);
    }
    const seconds = (Date.now() - started) / 1000;
    report(outcome, seconds, opts, failedOut);
    if (outcome.interrupted) return ExitCode.Interrupted;
    return outcome.failed > 0 ? ExitCode.Failed : ExitCode.Ok;
  });
}

function report(outcome: ImportOutcome, seconds: number, opts: ImportOptions, failedOut: FailedRowsFile | null): void {
  const rate = Math.round(outcome.records / Math.max(seconds, 0.001));
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({
        RunId: outcome.runId,
        DryRun: outcome.runId === null,
        Records: outcome.records,
        Failed: outcome.failed,
        Counts: outcome.counts,
        Interrupted: outcome.interrupted,
        Seconds: Math.round(seconds * 10) / 10,
        RecordsPerSecond: rate,
        ...(failedOut ? { FailedOut: opts.failedOut } : {}),
      })}\n`,
    );
    return;
  }
  const rows = Object.entries(outcome.counts).sort((a, b) => b[1] - a[1]);
  const lines = [
    `${outcome.runId === null ? `dry run${outcome.interrupted ? ' interrupted' : ''}: nothing written` : `${outcome.interrupted ? 'import interrupted' : 'import done'}: RunId ${outcome.runId}`}, ${outcome.records} records in ${seconds.toFixed(1)} s (${rate} records/s), ${outcome.failed} failed`,
    textTable(rows, [
      { header: 'ResultCode', value: ([code]) => code },
      { header: 'Records', value: ([, n]) => n },
    ]).trimEnd(),
  ];
  if (failedOut && outcome.failed > 0) lines.push(`failed rows written to ${opts.failedOut}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
