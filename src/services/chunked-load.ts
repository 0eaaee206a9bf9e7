import type pg from 'pg';
import type { DbClient } from '../db/pool';
import { copyJson } from '../db/copy-text';
import * as prospects from '../db/prospects';
import * as runs from '../db/runs';
import { insertRunSuppressed } from '../db/suppressed-in-runs';
import { runPipeline, type PipelineOptions, type PipelineOutput } from '../domain/pipeline';
import type { RecordResult } from '../domain/prospect';
import type { SuccessCode } from '../domain/result-code';
import { recordResults } from '../domain/results';
import { observeSuppressedAtLoad } from '../observability/metrics';
import type { SuppressedLoad } from '../domain/do-not-call';
import { screenChunk, type LoadSuppression } from './suppression-at-load';

/**
 * How a big CREATEPROSPECTS call is stored: in chunks, each with a constant number of statements,
 * while the pipeline makes the next ones. Node (the pipeline, encoding rows for COPY) and Postgres
 * (storing them) each do about half the work, so the load's time is set by how well they overlap:
 * - the pipeline runs up to STORE_AHEAD chunks ahead of storage, so neither waits for the other's
 *   slower chunks;
 * - it runs in slices of PIPELINE_SLICE records with a turn of the event loop between them, so an
 *   answer from Postgres waits a few ms at most before the next statement goes out (a statement
 *   sent from an answer's continuation goes out before the next slice starts);
 * - the first chunks are small, so Postgres starts after ~20 ms of pipeline, not a whole chunk's.
 * Statements of one connection are never queued on the client (pg 8 deprecates that): each is
 * sent when the one before has answered.
 */

// Chosen on the bench's 50,000-record call (medians of 8 runs on the shared 2-core dev box, whose
// load makes single runs vary 2x): these settings 6.5 s; chunks of 2,500 7.8 s, of 10,000 7.3 s;
// slices of 500 7.9 s; one chunk ahead 6.7 s; a first chunk of 5,000 7.4 s.

/** Records per chunk: big enough for set-based SQL to pay, small enough to keep a few MB per chunk. */
export const CHUNK_SIZE = 5_000;
/** Size of the first chunk; each next one doubles, up to CHUNK_SIZE. */
const FIRST_CHUNK = 500;
/** Chunks made by the pipeline but not yet stored, at most. */
const STORE_AHEAD = 2;
/** Records per synchronous pipeline run (~3-5 ms of CPU). */
const PIPELINE_SLICE = 100;

export interface LoadedChunks {
  /** One result per record, in input order. */
  results: RecordResult[];
  /** Every zone a stored prospect or destination uses. */
  zones: Set<string>;
  /** Every place (prospects.numberPlace, contactPlace) they use. */
  places: Set<string>;
}

/** What a chunk is stored with: where it goes and the suppression lists it is screened against. */
export interface ChunkTarget {
  ctx: prospects.UpsertContext;
  suppression: LoadSuppression;
}

/**
 * Runs the pipeline over `records` and stores prospects, destinations and one result per record
 * into the open run `ctx.runId`, on `client` (inside the caller's transaction; hold
 * lockProspectSource first). When anything fails, it returns (throws) only once no statement of
 * the load is left on the connection, so the caller's ROLLBACK is the last word.
 */
export async function loadInChunks(
  client: pg.PoolClient,
  target: ChunkTarget,
  records: readonly unknown[],
  options: PipelineOptions,
): Promise<LoadedChunks> {
  const loaded: LoadedChunks = { results: [], zones: new Set(), places: new Set() };
  await inChunks(client, target, records, options, true, (chunk, start, screened, copyText) =>
    storeInto(loaded, client, target.ctx, chunk, start, screened, copyText),
  );
  return loaded;
}

/**
 * A dry run of loadInChunks (DryRun: true): the same chunks through the same pipeline and the same
 * per-chunk checks, answered as the load would answer them; only the storage step is replaced, by
 * one read per chunk of which ExternalIDs the skill and source already hold. Writes nothing.
 */
export async function previewInChunks(
  db: DbClient,
  target: ChunkTarget,
  records: readonly unknown[],
  options: PipelineOptions,
): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  await inChunks(db, target, records, options, false, async (chunk, start, screened) => {
    for (const r of await previewChunk(db, target.ctx, chunk, start, screened.out)) results.push(r);
  });
  return results;
}

/**
 * What a chunk's last step gets: the chunk, where it starts, the pipeline's answer as the per-chunk
 * checks left it (suppressed numbers dropped, DoNotCall answered), its COPY text.
 */
type ChunkStep = (chunk: readonly unknown[], startIndex: number, screened: SuppressedLoad, copyText?: CopyText) => Promise<void>;

/**
 * The chunk loop both the load and its dry run go through: the pipeline in slices, per-chunk checks
 * against the database, then `step` (storage, or the dry run's read), one chunk at a time on `db`.
 * `encode`: make the COPY text ahead (a dry run stores nothing, so it skips that work).
 */
async function inChunks(
  db: DbClient,
  target: ChunkTarget,
  records: readonly unknown[],
  options: PipelineOptions,
  encode: boolean,
  step: ChunkStep,
): Promise<void> {
  const seen = new Set<string>();
  let tail: Promise<void> = Promise.resolve();
  const storing: Promise<void>[] = [];
  let stop = false;
  try {
    let size = Math.min(FIRST_CHUNK, CHUNK_SIZE);
    for (let start = 0; start < records.length; start += size, size = Math.min(size * 2, CHUNK_SIZE)) {
      const chunk = records.slice(start, start + size);
      const made = await pipelineInSlices(chunk, options, start, seen, encode);
      while (storing.length >= STORE_AHEAD) await storing.shift();
      tail = tail.then(async () => {
        if (stop) return;
        const screened = await checkChunk(db, target, chunk, start, made.out);
        await step(chunk, start, screened, made.copyText);
      });
      tail.catch(() => undefined); // awaited through `storing`; not unhandled meanwhile
      storing.push(tail);
    }
    await tail;
  } catch (err) {
    // Nothing of this load may reach the connection after the caller's ROLLBACK.
    stop = true;
    await tail.catch(() => undefined);
    throw err;
  }
}

/**
 * The per-chunk checks against the database, for a load and its dry run alike, after the pipeline
 * and before storage (or the dry run's read): the do-not-call screen (contract section 8), the
 * chunk's one matching statement.
 */
function checkChunk(
  db: DbClient,
  target: ChunkTarget,
  chunk: readonly unknown[],
  startIndex: number,
  out: PipelineOutput,
): Promise<SuppressedLoad> {
  return screenChunk(db, target.suppression, chunk, startIndex, out);
}

/** A dry run's storage step: Created or Updated as the upsert would answer, by one read. */
async function previewChunk(
  db: DbClient,
  ctx: prospects.UpsertContext,
  chunk: readonly unknown[],
  startIndex: number,
  out: PipelineOutput,
): Promise<RecordResult[]> {
  const known = await prospects.knownExternalIds(
    db,
    ctx.skillNo,
    ctx.sourceName,
    out.rows.map((r) => r.externalId),
  );
  const outcomes = new Map<number, SuccessCode>();
  for (const row of out.rows) outcomes.set(row.index, known.has(row.externalId) ? 'Updated' : 'Created');
  return recordResults(chunk, out.rows, out.failures, outcomes, startIndex);
}

/** One chunk whose pipeline already ran (the CLI's streamed import stores slices this way). */
export async function storeChunk(
  client: pg.PoolClient,
  target: ChunkTarget,
  records: readonly unknown[],
  startIndex: number,
  out: PipelineOutput,
): Promise<LoadedChunks> {
  const loaded: LoadedChunks = { results: [], zones: new Set(), places: new Set() };
  const screened = await checkChunk(client, target, records, startIndex, out);
  await storeInto(loaded, client, target.ctx, records, startIndex, screened);
  return loaded;
}

/** storeChunk's dry run (import --dry-run): the same checks, then the dry run's read. */
export async function previewStoredChunk(
  db: DbClient,
  target: ChunkTarget,
  records: readonly unknown[],
  startIndex: number,
  out: PipelineOutput,
): Promise<RecordResult[]> {
  const screened = await checkChunk(db, target, records, startIndex, out);
  return previewChunk(db, target.ctx, records, startIndex, screened.out);
}

/**
 * A chunk's COPY text that does not depend on what Postgres answers: the prospects' staging rows
 * and each record as stored with its result. Made with the pipeline, ahead of storage, so that
 * Postgres goes from one statement of a chunk to the next without waiting for node to encode
 * (that wait was ~1 s of a 50,000-record call, with Postgres idle through it).
 */
interface CopyText {
  staging: string;
  /** copyJson of each record of the chunk, by position in the chunk. */
  recordFields: string[];
}

async function pipelineInSlices(
  chunk: readonly unknown[],
  options: PipelineOptions,
  startIndex: number,
  seen: Set<string>,
  encode = true,
): Promise<{ out: PipelineOutput; copyText?: CopyText }> {
  const out: PipelineOutput = { rows: [], failures: [] };
  const staging: string[] = [];
  const recordFields: string[] = new Array(chunk.length);
  for (let at = 0; at < chunk.length; at += PIPELINE_SLICE) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const slice = chunk.slice(at, at + PIPELINE_SLICE);
    const part = runPipeline(slice, options, startIndex + at, seen);
    for (const r of part.rows) out.rows.push(r);
    for (const f of part.failures) out.failures.push(f);
    if (!encode) continue;
    staging.push(prospects.stagingText(part.rows));
    // A record the pipeline refused as too deep is stored as it answers it: cut short.
    const asAnswered = new Map<number, unknown>();
    for (const f of part.failures) if (f.record !== chunk[f.index - startIndex]) asAnswered.set(f.index - startIndex, f.record);
    for (let i = 0; i < slice.length; i++) {
      recordFields[at + i] = copyJson(asAnswered.has(at + i) ? asAnswered.get(at + i) : slice[i]);
    }
  }
  return encode ? { out, copyText: { staging: staging.join(''), recordFields } } : { out };
}

/**
 * Stores one screened chunk (upsert, destinations, results, the numbers it dropped as suppressed)
 * and appends its results and zones to
 * `loaded`. The screen dropped suppressed numbers and answered DoNotCall where none was left
 * (domain/do-not-call.ts); only when it changed a row is the staging text made again (it holds
 * the rows and their number zones).
 */
async function storeInto(
  loaded: LoadedChunks,
  client: pg.PoolClient,
  ctx: prospects.UpsertContext,
  chunk: readonly unknown[],
  startIndex: number,
  screened: SuppressedLoad,
  copyText?: CopyText,
): Promise<void> {
  const out = screened.out;
  if (screened.refusedByList.size > 0) observeSuppressedAtLoad(screened.refusedByList);
  const upserted = await prospects.upsertProspects(client, ctx, out.rows, screened.changed ? undefined : copyText?.staging);
  const outcomes = new Map<number, SuccessCode>();
  const replaced: number[] = [];
  const destinations: prospects.DestinationRow[] = [];
  for (let i = 0; i < out.rows.length; i++) {
    const row = out.rows[i]!;
    const { prospectId, created } = upserted[i]!;
    if (!created) replaced.push(prospectId);
    for (let position = 0; position < row.destinations.length; position++) {
      const d = row.destinations[position]!;
      destinations.push({ prospectId, position, ...d });
      loaded.zones.add(d.timeZone);
      loaded.places.add(prospects.numberPlace(d));
    }
    loaded.zones.add(row.timeZone);
    loaded.places.add(prospects.contactPlace(row));
    outcomes.set(row.index, created ? 'Created' : 'Updated');
  }
  await prospects.replaceDestinations(client, replaced, destinations, prospects.undoRunOf(ctx));
  const results = recordResults(chunk, out.rows, out.failures, outcomes, startIndex);
  await runs.insertRunResults(
    client,
    ctx.runId!,
    results.map((r, i) => ({
      seq: r.index,
      resultCode: r.resultCode,
      resultMessage: r.resultMessage ?? null,
      externalId: r.externalId,
      record: r.record,
      recordField: copyText?.recordFields[i],
    })),
  );
  await insertRunSuppressed(client, ctx.runId!, screened.named);
  for (const r of results) loaded.results.push(r);
}
