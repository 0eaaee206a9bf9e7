import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../app-deps';
import { lineBatches } from '../connectors/text-lines';
import { inClientTransaction } from '../db/pool';
import * as lists from '../db/suppression-lists';
import { endStaging, mergeStaged, orderStaged, stageNumbers, stagingBuffer, startStaging } from '../db/suppression-entries';
import { normalizePhone } from '../domain/phone-number';
import { e164Digits } from '../domain/suppression';
import { readableFileSize } from './record-file';
import { readOnly, unknownList } from './suppression-lists';

/**
 * Numbers per COPY into the staging table while the file is read (the next slice is parsed while
 * Postgres takes this one): 2 MB of numbers in memory, two slices at a time.
 */
const STAGE_SLICE = 250_000;

/**
 * Numbers per stored slice: one merge statement, one transaction and one lock of the list each,
 * taken in key order from the staging table. Measured at 10,000,000 numbers: ~3 s a slice on the
 * quiet 2-core box, so the progress bar moves and an interrupt is heard within seconds.
 */
export const IMPORT_SLICE = 1_000_000;

/**
 * Storing takes about three times as long as reading and staging (10,000,000 numbers: ~7 s and
 * ~18 s on the quiet 2-core box, ~20 s and ~70 s under load, measured): the progress bar's last
 * three quarters are the stored slices, so its ETA holds through both.
 */
const STORE_WEIGHT = 3;

export interface SuppressionImportProgress {
  records: number;
  failed: number;
  bytesRead: number;
  totalBytes: number;
}

export interface SuppressionImportOutcome {
  lines: number;
  added: number;
  updated: number;
  /** Already there for good (no expiry, no reason): left as they were, no history row written. */
  unchanged: number;
  invalid: number;
  /** Line numbers (1-based) of the first invalid lines, never their text (a number, maybe). */
  invalidLines: number[];
  interrupted: boolean;
}

const SHOWN_INVALID_LINES = 10;

/**
 * `suppression import FILE --list NAME`: a file of numbers, one a line, or a CSV whose header names
 * a `PhoneNumber` column. The file is read as a stream and its numbers COPYed to a staging table
 * (db/suppression-entries: why), then stored in slices in key order, each committed on its own:
 * an import interrupted while the file is read stores nothing, one interrupted later keeps the
 * slices stored. All of it is one batch (source Import, the file's base name). The file and the
 * list are checked before anything is written; a list deleted part way stops the import with
 * UnknownList. Numbers are read as section 4 reads them. Progress: the file read, then the
 * numbers stored, weighed as their times (STORE_WEIGHT).
 */
export async function importSuppressionFile(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now' | 'logger'>,
  input: { file: string; listName: string; role?: string | null },
  hooks: { onProgress?: (p: SuppressionImportProgress) => void; signal?: AbortSignal; sliceSize?: number } = {},
): Promise<SuppressionImportOutcome> {
  const totalBytes = await readableFileSize(input.file);
  const list = await lists.findList(deps.pool, input.listName);
  if (!list) throw unknownList(input.listName);
  if (list.builtIn) throw readOnly(list.name);
  const out: SuppressionImportOutcome = { lines: 0, added: 0, updated: 0, unchanged: 0, invalid: 0, invalidLines: [], interrupted: false };
  const client = await deps.pool.connect();
  let staged = 0;
  let stored = 0;
  let bytesRead = 0;
  const progress = () =>
    hooks.onProgress?.({
      records: out.lines,
      failed: out.invalid,
      bytesRead: bytesRead + Math.round(STORE_WEIGHT * totalBytes * Math.min(1, stored / Math.max(staged, 1))),
      totalBytes: (1 + STORE_WEIGHT) * totalBytes,
    });
  try {
    await startStaging(client);
    staged = await readNumbers(
      deps,
      input.file,
      out,
      hooks.signal,
      (numbers, into) => stageNumbers(client, numbers, into),
      (bytes) => {
        bytesRead = bytes;
        progress();
      },
    );
    if (!out.interrupted) {
      await orderStaged(client);
      let batchId: number | null = null;
      let after = 0;
      for (;;) {
        if (hooks.signal?.aborted) {
          out.interrupted = true;
          break;
        }
        const slice = await inClientTransaction(client, async () => {
          const locked = await lists.lockList(client, input.listName);
          if (!locked || locked.listId !== list.listId) throw unknownList(input.listName);
          batchId ??= await lists.createBatch(client, {
            listId: list.listId,
            source: 'Import',
            role: input.role ?? null,
            at: deps.now(),
            fileName: path.basename(input.file),
          });
          const fresh = locked.entryCount === out.added;
          return mergeStaged(client, list.listId, batchId, after, hooks.sliceSize ?? IMPORT_SLICE, fresh);
        });
        if (slice.last === null) break;
        after = slice.last;
        out.added += slice.added;
        out.updated += slice.updated;
        out.unchanged += slice.unchanged;
        stored += slice.added + slice.updated + slice.unchanged;
        progress();
      }
    }
    await endStaging(client);
  } finally {
    client.release();
  }
  if (!out.interrupted) stored = staged;
  progress();
  deps.logger.info(
    { list: input.listName, lines: out.lines, added: out.added, updated: out.updated, unchanged: out.unchanged, invalid: out.invalid },
    'suppression import done',
  );
  return out;
}

/**
 * Reads the file's numbers into `out`'s counts and hands them to `stage` in slices, parsing the
 * next slice while the last one is staged. Answers how many numbers were staged. Lines
 * are parsed as soon as they are split (lineBatches: why).
 */
async function readNumbers(
  deps: Pick<AppDeps, 'config'>,
  file: string,
  out: SuppressionImportOutcome,
  signal: AbortSignal | undefined,
  stage: (numbers: Float64Array, into: Buffer) => Promise<void>,
  onBytes: (bytesRead: number) => void,
): Promise<number> {
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 16, encoding: 'utf8' });
  const country = deps.config.defaultCountry;
  let column: number | null = null;
  // Two slices, filled in turn: one is staged while the other fills. Allocated once, with their
  // COPY buffers: a number[] pushed to 250,000 grows through copies of ~6 MB in all, straight to
  // the large-object space, freed only by a full collection, and a new 4 MB buffer a slice waited
  // for one too. With these and stageNumbers' digits: peak RSS 128 MB for 1,000,000 numbers and
  // 131 MB for 10,000,000 (was 154 and 223 MB; bench section suppression).
  const slices = [new Float64Array(STAGE_SLICE), new Float64Array(STAGE_SLICE)];
  const buffers = [stagingBuffer(STAGE_SLICE), stagingBuffer(STAGE_SLICE)];
  let slice = slices[0]!;
  let filled = 0;
  let staged = 0;
  let lineNo = 0;
  const take = (line: string): void => {
    lineNo++;
    if (lineNo === 1 && line.includes('PhoneNumber')) {
      const index = csvFields(line.replace(/^\uFEFF/, '')).indexOf('PhoneNumber');
      if (index >= 0) {
        column = index;
        return;
      }
    }
    if (line.trim() === '') return;
    out.lines++;
    const phone = normalizePhone(column === null ? line : (csvFields(line)[column] ?? ''), country);
    if (phone === null) invalidAt(out, lineNo);
    else slice[filled++] = e164Digits(phone.phoneNumber);
  };
  let staging: Promise<void> = Promise.resolve();
  try {
    for await (const lines of lineBatches(stream as AsyncIterable<string>)) {
      if (signal?.aborted) {
        out.interrupted = true;
        break;
      }
      for (const line of lines) {
        take(line);
        if (filled === STAGE_SLICE) {
          await staging;
          staged += filled;
          const turn = (staged / STAGE_SLICE) % 2;
          staging = stage(slice, buffers[1 - turn]!);
          staging.catch(() => undefined);
          slice = slices[turn]!;
          filled = 0;
          onBytes(stream.bytesRead);
        }
      }
    }
    await staging;
    if (filled > 0 && !out.interrupted) {
      staged += filled;
      await stage(slice.subarray(0, filled), buffers[0]!);
    }
  } finally {
    stream.destroy();
  }
  onBytes(stream.bytesRead);
  return staged;
}

function invalidAt(out: SuppressionImportOutcome, lineNo: number): void {
  out.invalid++;
  if (out.invalidLines.length < SHOWN_INVALID_LINES) out.invalidLines.push(lineNo);
}

/** The fields of one CSV line (RFC 4180 quoting; a number never spans lines). */
export function csvFields(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
