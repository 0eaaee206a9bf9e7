import type { Command } from 'commander';
import { getRunView, parseResultCodeFilter } from '../../services/read-runs';
import { resultsCsv } from '../../services/results-csv';
import { storedResults } from '../../services/run-results';
import { withDeps } from '../cli-runtime';
import { commandAction } from '../command-action';
import { ExitCode, UsageError } from '../exit-code';
import { wholeNumber } from '../option-parsers';
import { TextSink } from '../text-sink';

interface ResultsOptions {
  failed?: boolean;
  code?: string;
  csv?: boolean;
  json?: boolean;
}

export function registerResults(program: Command): void {
  program
    .command('results')
    .description("print a run's per-record results, in input order")
    .argument('<RunId>', 'the run (see `prospect-feeder runs`)', wholeNumber(1))
    .option('--failed', 'only the failed records')
    .option('--code <codes>', 'only these ResultCodes, comma-separated (Failed and Successful stand for their groups)')
    .option('--csv', "CSV with the records' own fields (the same as the API's CSV export)")
    .option('--json', 'one JSON object per line: { RecordNo, ExternalID, ResultCode, ResultMessage, Record }')
    .action(commandAction((runId: number, opts: ResultsOptions) => printResults(runId, opts)));
}

async function printResults(runId: number, opts: ResultsOptions): Promise<number> {
  if (opts.csv && opts.json) throw new UsageError('InvalidData', 'choose one of --csv and --json');
  if (opts.failed && opts.code) throw new UsageError('InvalidData', 'choose one of --failed and --code');
  const codes = parseResultCodeFilter(opts.failed ? 'Failed' : opts.code);
  return withDeps(async (deps) => {
    const run = await getRunView(deps, runId);
    const out = TextSink.stdout();
    if (opts.csv) {
      for await (const text of resultsCsv(deps.pool, runId, codes)) await out.write(text);
      return ExitCode.Ok;
    }
    if (!opts.json) {
      await out.write(
        `RunId ${run.RunId}: skill ${run.SkillNo}, source ${run.SourceName}, ${run.Origin}, ${run.Status}, ${run.RecordCount} records\n` +
          `${row('RecordNo', 'ExternalID', 'ResultCode', 'ResultMessage')}\n`,
      );
    }
    let shown = 0;
    for await (const page of storedResults(deps.pool, runId, codes)) {
      let text = '';
      for (const r of page) {
        text += opts.json
          ? `${JSON.stringify({ RecordNo: r.seq + 1, ExternalID: r.externalId, ResultCode: r.resultCode, ResultMessage: r.resultMessage, Record: r.record })}\n`
          : `${row(String(r.seq + 1), r.externalId ?? '-', r.resultCode, r.resultMessage ?? '')}\n`;
      }
      shown += page.length;
      await out.write(text);
    }
    if (!opts.json && shown === 0) await out.write('(no results match)\n');
    return ExitCode.Ok;
  });
}

/** Fixed widths: results are streamed, so widths cannot wait for the longest value. */
function row(recordNo: string, externalId: string, code: string, message: string): string {
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  return `${recordNo.padStart(8)}  ${clip(externalId, 24).padEnd(24)}  ${code.padEnd(21)}  ${clip(message.replace(/\s+/g, ' '), 100)}`.trimEnd();
}
