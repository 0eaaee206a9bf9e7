import type fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';

export type RecordFormat = 'csv' | 'ndjson';
export const RECORD_FORMATS: readonly RecordFormat[] = ['csv', 'ndjson'];
export const FORMAT_BY_EXTENSION: Readonly<Record<string, RecordFormat>> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

/**
 * Source records of a CSV or NDJSON stream, one at a time, so a file of any size is never held.
 * A CSV header row names the fields (values are trimmed text); an NDJSON line that is not JSON
 * is handed on as its raw text, which the pipeline answers InvalidRecord. Blank lines are
 * skipped in both. The caller owns the stream and destroys it.
 */
export async function* readRecords(
  stream: fs.ReadStream,
  format: RecordFormat,
  onColumns?: (header: string[]) => void,
): AsyncGenerator<unknown> {
  if (format === 'csv') {
    const parser = stream.pipe(
      parse({
        columns: (header: string[]) => {
          onColumns?.(header);
          return header;
        },
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        trim: true,
      }),
    );
    // A parse error surfaces on the parser; the read stream's own errors must reach it too.
    stream.on('error', (err) => parser.destroy(err));
    yield* parser as AsyncIterable<unknown>;
  } else {
    const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      yield parseLine(line);
    }
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return line;
  }
}
