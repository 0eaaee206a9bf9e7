import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { AppDeps } from '../app-deps';
import { inTransaction } from '../db/pool';
import * as lists from '../db/suppression-lists';
import { importNumbers } from '../db/suppression-entries';
import { normalizePhone } from '../domain/phone-number';
import { e164Digits } from '../domain/suppression';
import { readableFileSize } from './record-file';
import { readOnly, unknownList } from './suppression-lists';

/**
 * Numbers per slice: one COPY and one merge statement (and one transaction, one lock of the list)
 * each. Large, because the merge's cost is mostly per row and its fixed cost (the lock, the batch
 * check, the plan) is paid per slice; 4 MB of numbers in memory, two slices at a time.
 */
export const IMPORT_SLICE = 250_000;

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
  invalid: number;
  /** Line numbers (1-based) of the first invalid lines, never their text (a number, maybe). */
  invalidLines: number[];
  interrupted: boolean;
}

const SHOWN_INVALID_LINES = 10;

/**
 * `suppression import FILE --list NAME`: a file of numbers, one a line, or a CSV whose header names
 * a `PhoneNumber` column, read as a stream and stored in slices (each committed on its own: an
 * interrupted import keeps the slices stored). All of it is one batch (source Import, the file's
 * base name). The file and the list are checked before anything is written; a list deleted part
 * way stops the import with UnknownList. Numbers are read as section 4 reads them.
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
  const sliceSize = hooks.sliceSize ?? IMPORT_SLICE;
  const out: SuppressionImportOutcome = { lines: 0, added: 0, updated: 0, invalid: 0, invalidLines: [], interrupted: false };
  let batchId: number | null = null;

  const store = async (numbers: number[]): Promise<void> => {
    await inTransaction(deps.pool, async (client) => {
      const locked = await lists.lockList(client, input.listName);
      if (!locked || locked.listId !== list.listId) throw unknownList(input.listName);
      batchId ??= await lists.createBatch(client, {
        listId: list.listId,
        source: 'Import',
        role: input.role ?? null,
        at: deps.now(),
        fileName: path.basename(input.file),
      });
      const counts = await importNumbers(client, list.listId, batchId, numbers);
      out.added += counts.added;
      out.updated += counts.updated;
    });
  };

  const stream = fs.createReadStream(input.file, { highWaterMark: 1 << 20 });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  const country = deps.config.defaultCountry;
  let column: number | null = null;
  let slice: number[] = [];
  // The slice being stored while the next one is read: parsing and the merge overlap.
  let storing: Promise<void> = Promise.resolve();
  const progress = () => hooks.onProgress?.({ records: out.lines, failed: out.invalid, bytesRead: stream.bytesRead, totalBytes });
  try {
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (hooks.signal?.aborted) {
        out.interrupted = true;
        break;
      }
      if (lineNo === 1 && line.includes('PhoneNumber')) {
        const index = csvFields(line.replace(/^\uFEFF/, '')).indexOf('PhoneNumber');
        if (index >= 0) {
          column = index;
          continue;
        }
      }
      if (line.trim() === '') continue;
      out.lines++;
      const phone = normalizePhone(column === null ? line : (csvFields(line)[column] ?? ''), country);
      if (phone === null) {
        invalidAt(out, lineNo);
        continue;
      }
      slice.push(e164Digits(phone.phoneNumber));
      if (slice.length >= sliceSize) {
        await storing;
        const full = slice;
        slice = [];
        storing = store(full);
        storing.catch(() => undefined);
        progress();
      }
    }
    await storing;
    if (slice.length > 0 && !out.interrupted) await store(slice);
  } finally {
    lines.close();
    stream.destroy();
  }
  progress();
  deps.logger.info(
    { list: input.listName, lines: out.lines, added: out.added, updated: out.updated, invalid: out.invalid },
    'suppression import done',
  );
  return out;
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
