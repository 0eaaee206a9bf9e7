import type pg from 'pg';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { inTransaction, type DbClient } from '../db/pool';
import * as prospects from '../db/prospects';
import * as runs from '../db/runs';
import * as skills from '../db/skills';
import * as sourceMaps from '../db/source-maps';
import { parseDefaultExpirationDate } from '../domain/expiration';
import { runPipeline, type PipelineOptions, type PipelineOutput } from '../domain/pipeline';
import type { RecordResult } from '../domain/prospect';
import type { SuccessCode } from '../domain/result-code';
import { answerResults, recordResults, type ResultGroups } from '../domain/results';
import type { Skill } from '../domain/skill';
import { validateMapping } from '../domain/source-map';
import { zoneFromName } from '../domain/zone-name';
import { CallError, clip, invalidData } from './call-error';
import { SkillNoSchema, unknownSkill } from './skills';

/** The service's stated limit of records per call (the contract asks for at least 50,000). */
export const MAX_RECORDS_PER_CALL = 50_000;
/** Records per pipeline pass and per statement: big enough for set-based SQL to pay, small
 * enough that one statement's arrays stay a few MB and the event loop gets a turn between. */
export const CHUNK_SIZE = 5_000;

/**
 * The call's top level. Data is only checked to be an array (or one object) here: each record is
 * answered by the pipeline with its own ResultCode, and the size limit with BatchTooLarge.
 */
export const CreateProspectsInputSchema = z.object({
  SkillNo: SkillNoSchema.meta({ description: 'The outbound skill to load into', example: 4100 }),
  SourceName: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .meta({ description: 'The source map that reads the records', example: 'crm' }),
  Data: z
    .union([z.array(z.unknown()), z.looseObject({})], { error: 'must be an array of records (or one record object)' })
    .meta({ description: `Source records (a single object counts as one record), at most ${MAX_RECORDS_PER_CALL}` }),
  NoTimeZoneReject: z
    .enum(['Yes', 'No'], { error: 'must be "Yes" or "No"' })
    .nullable()
    .optional()
    .meta({ description: 'Where no time zone is found: "Yes" uses TimeZone, "No" (default) rejects the record' }),
  TimeZone: z
    .string({ error: 'must be a string' })
    .nullable()
    .optional()
    .meta({ description: 'IANA zone used with NoTimeZoneReject "Yes"', example: 'America/Chicago' }),
  DefaultExpirationDate: z
    .string({ error: 'must be a string' })
    .nullable()
    .optional()
    .meta({ description: 'Expiration of rows without their own: a date or an ISO 8601 instant', example: '2026-12-31' }),
});

/** The body of CREATEPROSPECTS v2, as script authors send it. */
export interface CreateProspectsInput {
  SkillNo: number;
  SourceName: string;
  Data: unknown;
  NoTimeZoneReject?: 'Yes' | 'No' | null;
  TimeZone?: string | null;
  DefaultExpirationDate?: string | null;
}

/** A call that passed every call-level check: ready to load. */
export interface PreparedCreateProspects {
  skill: Skill;
  sourceName: string;
  sourceMapVersion: number;
  records: readonly unknown[];
  options: PipelineOptions;
}

export interface LoadRun {
  origin: runs.RunOrigin;
  jobId?: string | null;
  cursorBefore?: string | null;
  cursorAfter?: string | null;
}

export type CreateProspectsResults = ResultGroups;

export interface CreateProspectsOutcome {
  runId: number;
  Results: CreateProspectsResults;
  /** ResultCode -> number of records. */
  counts: Record<string, number>;
}

/**
 * Call-level validation, in the contract's order of blame: the body's form, its size, the skill,
 * the source map, then the call's defaults. Throws a CallError before anything is written.
 */
export async function prepareCreateProspects(
  db: DbClient,
  deps: Pick<AppDeps, 'config' | 'now'>,
  input: unknown,
): Promise<PreparedCreateProspects> {
  const parsed = CreateProspectsInputSchema.safeParse(input);
  if (!parsed.success) throw invalidData(parsed.error);
  const call = parsed.data;
  const records: readonly unknown[] = Array.isArray(call.Data) ? call.Data : [call.Data];
  if (records.length > MAX_RECORDS_PER_CALL) {
    throw new CallError(
      'BatchTooLarge',
      `Data holds ${records.length} records; at most ${MAX_RECORDS_PER_CALL} are taken per call: split the batch`,
      413,
    );
  }

  const noTimeZoneReject = call.NoTimeZoneReject ?? 'No';
  const defaultTimeZone = call.TimeZone === undefined || call.TimeZone === null ? null : zoneFromName(call.TimeZone);
  if (call.TimeZone && defaultTimeZone === null) {
    throw new CallError('InvalidTimeZone', `TimeZone "${clip(call.TimeZone)}" is not an IANA time zone (e.g. America/Chicago)`);
  }
  if (noTimeZoneReject === 'Yes' && defaultTimeZone === null) {
    throw new CallError('InvalidTimeZone', 'NoTimeZoneReject is "Yes" but no TimeZone is given to use instead');
  }
  const expiration = parseDefaultExpirationDate(call.DefaultExpirationDate);
  if (!expiration.ok) throw new CallError('InvalidExpirationDate', expiration.message);

  const skill = await skills.findSkill(db, call.SkillNo);
  if (!skill) throw unknownSkill(call.SkillNo);
  const stored = await sourceMaps.findCurrentSourceMap(db, call.SourceName);
  if (!stored) {
    throw new CallError(
      'MissingExternalId',
      `the external ID is missing: no source map named "${clip(call.SourceName)}" says where ExternalID is (create one with PUT /v1/source-maps/{SourceName})`,
    );
  }
  // Re-checked on use: the map was valid when stored, but MAX_DESTINATIONS may have shrunk since
  // (the pipeline still stores at most that many numbers).
  const checked = validateMapping(stored.mapping, Number.MAX_SAFE_INTEGER);
  if (!checked.ok) {
    throw new CallError(
      checked.code === 'MissingRequiredField' ? 'MissingExternalId' : checked.code,
      `source map "${clip(call.SourceName)}" version ${stored.version} is not usable: ${checked.message}`,
    );
  }

  return {
    skill,
    sourceName: call.SourceName,
    sourceMapVersion: stored.version,
    records,
    options: {
      mapping: checked.mapping,
      noTimeZoneReject,
      defaultTimeZone,
      defaultExpirationDate: call.DefaultExpirationDate ?? null,
      defaultExpirationDays: skill.DefaultExpirationDays ?? null,
      defaultCountry: deps.config.defaultCountry,
      maxDestinations: deps.config.maxDestinations,
      now: deps.now(),
    },
  };
}

/**
 * Runs the pipeline over the prepared records and stores the run, the prospects, their
 * destinations and zones, and one result per record, using `client`: the caller owns the
 * transaction (the fetch worker stores its cursor in the same one).
 */
export async function loadProspects(
  client: pg.PoolClient,
  prepared: PreparedCreateProspects,
  run: LoadRun,
): Promise<CreateProspectsOutcome> {
  const { records, options } = prepared;
  const runId = await runs.createRun(client, {
    skillNo: prepared.skill.SkillNo,
    sourceName: prepared.sourceName,
    sourceMapVersion: prepared.sourceMapVersion,
    origin: run.origin,
    jobId: run.jobId ?? null,
    cursorBefore: run.cursorBefore ?? null,
    cursorAfter: run.cursorAfter ?? null,
  });

  const chunkStore: ChunkStore = {
    client,
    ctx: { skillNo: prepared.skill.SkillNo, sourceName: prepared.sourceName, sourceMapVersion: prepared.sourceMapVersion, runId },
    results: [],
    zones: new Set<string>(),
  };
  // Loads into one skill and source take turns, so two of them never lock the same contacts in
  // opposite orders.
  await prospects.lockProspectSource(client, prepared.skill.SkillNo, prepared.sourceName);

  // The pipeline of one chunk runs while Postgres stores the one before, hiding most of its
  // time. It runs in slices with a turn of the event loop between them, so that each statement
  // of the chunk being stored is sent as soon as the one before answers, not after the whole
  // chunk's pipeline.
  const seen = new Set<string>();
  let storing: Promise<void> = Promise.resolve();
  for (let start = 0; start < records.length; start += CHUNK_SIZE) {
    const chunk = records.slice(start, start + CHUNK_SIZE);
    const out = await pipelineInSlices(chunk, options, start, seen);
    await storing;
    storing = storeChunk(chunkStore, chunk, start, out);
    storing.catch(() => undefined); // awaited on the next turn or below; not unhandled meanwhile
  }
  await storing;
  await prospects.rememberTimeZones(client, chunkStore.zones);

  const counts: Record<string, number> = {};
  for (const r of chunkStore.results) counts[r.resultCode] = (counts[r.resultCode] ?? 0) + 1;
  await runs.finishRun(client, runId, { recordCount: records.length, counts });
  return { runId, Results: answerResults(chunkStore.results), counts };
}

/** Records per synchronous pipeline run (~10 ms of CPU): a statement's answer waits at most that long. */
const PIPELINE_SLICE = 200;

async function pipelineInSlices(
  chunk: readonly unknown[],
  options: PipelineOptions,
  startIndex: number,
  seen: Set<string>,
): Promise<PipelineOutput> {
  const out: PipelineOutput = { rows: [], failures: [] };
  for (let at = 0; at < chunk.length; at += PIPELINE_SLICE) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const part = runPipeline(chunk.slice(at, at + PIPELINE_SLICE), options, startIndex + at, seen);
    for (const r of part.rows) out.rows.push(r);
    for (const f of part.failures) out.failures.push(f);
  }
  return out;
}

interface ChunkStore {
  client: pg.PoolClient;
  ctx: prospects.UpsertContext;
  /** Every record's result so far, in input order. */
  results: RecordResult[];
  zones: Set<string>;
}

/** Stores one chunk's prospects, destinations and results: four statements whatever its size. */
async function storeChunk(store: ChunkStore, chunk: readonly unknown[], startIndex: number, out: PipelineOutput): Promise<void> {
  const upserted = await prospects.upsertProspects(store.client, store.ctx, out.rows);
  const byExternalId = new Map(upserted.map((u) => [u.externalId, u]));
  const stored = new Map<number, SuccessCode>();
  const replaced: number[] = [];
  const destinations: prospects.DestinationRow[] = [];
  for (const row of out.rows) {
    const prospect = byExternalId.get(row.externalId)!;
    if (!prospect.created) replaced.push(prospect.prospectId);
    row.destinations.forEach((d, position) => {
      destinations.push({ ...d, prospectId: prospect.prospectId, position });
      store.zones.add(d.timeZone);
    });
    store.zones.add(row.timeZone);
    stored.set(row.index, prospect.created ? 'Created' : 'Updated');
  }
  await prospects.replaceDestinations(store.client, replaced, destinations);

  const results = recordResults(chunk, out.rows, out.failures, stored, startIndex);
  await runs.insertRunResults(
    store.client,
    store.ctx.runId!,
    results.map((r) => ({
      seq: r.index,
      resultCode: r.resultCode,
      resultMessage: r.resultMessage ?? null,
      externalId: r.externalId,
      record: r.record,
    })),
  );
  for (const r of results) store.results.push(r);
}

/**
 * Stores one slice of a load longer than one call (the CLI's streamed import) into the open run
 * `runId`: `out` is runPipeline's answer for `records`, numbered from `startIndex`, with the
 * ExternalIDs of earlier slices in its seen-set. The caller owns the transaction; the slice's
 * results come back in input order for the caller to report and then drop.
 */
export async function storeSlice(
  client: pg.PoolClient,
  prepared: Omit<PreparedCreateProspects, 'records'>,
  runId: number,
  records: readonly unknown[],
  startIndex: number,
  out: PipelineOutput,
): Promise<RecordResult[]> {
  const store: ChunkStore = {
    client,
    ctx: { skillNo: prepared.skill.SkillNo, sourceName: prepared.sourceName, sourceMapVersion: prepared.sourceMapVersion, runId },
    results: [],
    zones: new Set<string>(),
  };
  await prospects.lockProspectSource(client, prepared.skill.SkillNo, prepared.sourceName);
  await storeChunk(store, records, startIndex, out);
  await prospects.rememberTimeZones(client, store.zones);
  return store.results;
}

/** CREATEPROSPECTS v2 as the API and CLI call it: checks, then one transaction. */
export async function createProspects(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now' | 'logger'>,
  input: unknown,
  origin: runs.RunOrigin = 'Api',
): Promise<CreateProspectsOutcome> {
  const started = Date.now();
  const prepared = await prepareCreateProspects(deps.pool, deps, input);
  let outcome: CreateProspectsOutcome;
  try {
    outcome = await inTransaction(deps.pool, (client) => loadProspects(client, prepared, { origin }));
  } catch (err) {
    // The skill was deleted between the checks and the load.
    if ((err as { code?: string }).code === '23503') throw unknownSkill(prepared.skill.SkillNo);
    throw err;
  }
  deps.logger.info(
    { runId: outcome.runId, skillNo: prepared.skill.SkillNo, sourceName: prepared.sourceName, records: prepared.records.length, counts: outcome.counts, ms: Date.now() - started },
    'create-prospects run stored',
  );
  return outcome;
}
