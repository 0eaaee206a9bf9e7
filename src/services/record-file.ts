import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { CallError, clip } from './errors';

import { FORMAT_BY_EXTENSION, readRecords, type RecordFormat } from '../connectors/record-stream';

export { RECORD_FORMATS, type RecordFormat } from '../connectors/record-stream';

/**
 * A CSV or NDJSON file of source records, read as a stream in batches: at most one batch (plus
 * the stream's 64 KB buffer) is held, whatever the file's size, and reading waits while the
 * caller is busy with the batch it was given.
 */
export class RecordFile {
  /** The CSV header, in file order, once the first row has been read; null for NDJSON. */
  columns: string[] | null = null;
  private stream: fs.ReadStream | null = null;

  private constructor(
    readonly file: string,
    readonly format: RecordFormat,
    readonly size: number,
  ) {}

  /** Checks the file is there and its format known; CallError (a usage error) otherwise. */
  static async open(file: string, format?: RecordFormat): Promise<RecordFile> {
    const size = await readableFileSize(file);
    const known = format ?? FORMAT_BY_EXTENSION[path.extname(file).toLowerCase()];
    if (!known) {
      throw new CallError(
        'UnknownFormat',
        `cannot tell the format of ${clip(file, 200)} from its name: pass --format csv or --format ndjson`,
      );
    }
    return new RecordFile(file, known, size);
  }

  /** Bytes consumed so far, for progress against `size`. */
  get bytesRead(): number {
    return this.stream?.bytesRead ?? 0;
  }

  /**
   * The records in batches of `batchSize`. A CSV header row names the fields (values are
   * trimmed text); an NDJSON line that is not JSON is handed on as its raw text, which the
   * pipeline answers InvalidRecord. Blank lines are skipped in both.
   */
  async *batches(batchSize: number): AsyncGenerator<unknown[]> {
    let batch: unknown[] = [];
    for await (const record of this.records()) {
      batch.push(record);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  private async *records(): AsyncGenerator<unknown> {
    const stream = fs.createReadStream(this.file);
    this.stream = stream;
    try {
      yield* readRecords(stream, this.format, (header) => {
        this.columns = header;
      });
    } finally {
      stream.destroy();
    }
  }
}

/** The size of a file that is there and readable; CallError FileNotFound (a usage error) otherwise. */
export async function readableFileSize(file: string): Promise<number> {
  let stat: fs.Stats;
  try {
    stat = await fsp.stat(file);
  } catch {
    throw new CallError('FileNotFound', `${clip(file, 200)} does not exist or cannot be read`);
  }
  if (!stat.isFile()) throw new CallError('FileNotFound', `${clip(file, 200)} is not a file`);
  try {
    await fsp.access(file, fs.constants.R_OK);
  } catch {
    throw new CallError('FileNotFound', `${clip(file, 200)} cannot be read`);
  }
  return stat.size;
}
