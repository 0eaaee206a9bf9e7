import type pg from 'pg';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { isForeignKeyViolation } from '../db/pg-errors';
import { inTransaction, type DbClient } from '../db/pool';
import * as prospects from '../db/prospects';
import * as runs from '../db/runs';
import * as skills from '../db/skills';
import * as sourceMaps from '../db/source-maps';
import { parseDefaultExpirationDate } from '../domain/expiration';
import type { PipelineOptions, PipelineOutput } from '../domain/pipeline';
import type { RecordResult } from '../domain/prospect';
import { answerResults, type ResultGroups } from '../domain/results';
import type { Skill } from '../domain/skill';
import { validateMapping } from '../domain/source-map';
import { zoneFromName } from '../domain/zone-name';
import { CallError, clip, invalidData } from './errors';
import { loadInChunks, storeChunk } from './chunked-load';
import { SkillNoSchema, unknownSkill } from './skills';
import { skillSuppression } from './suppression-at-load';

/** The service's stated limit of records per call (the contract asks for at least 50,000). */
export const MAX_RECORDS_PER_CALL = 50_000;
export { CHUNK_SIZE } from './chunked-load';

/**
 * SourceName of a call. NUL is refused here: Postgres text cannot hold it (the lookup answered
 * 500), and no source map's name contains one.
 */
export const CallSourceNameSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .refine((s) => !s.includes('\u0000'), 'must not hold the NUL character');

/**
 * The call's top level. Data is only checked to be an array (or one object) here: each record is
 * answered by the pipeline with its own ResultCode, and the size limit with BatchTooLarge.
 */
export const CreateProspectsInputSchema = z.object({
  SkillNo: SkillNoSchema.meta({ description: 'The outbound skill to load into', example: 4100 }),
  SourceName: CallSourceNameSchema.meta({ description: 'The source map that reads the records', example: 'crm' }),
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
  DryRun: z
    .boolean({ error: 'must be true or false' })
    .nullable()
    .optional()
    .meta({ description: 'true: answer exactly what the call would answer, plus Summary, and write nothing (no prospect, no run)' }),
});

/** The body of CREATEPROSPECTS v2, as script authors send it. */
export interface CreateProspectsInput {
  SkillNo: number;
  SourceName: string;
  Data: unknown;
  NoTimeZoneReject?: 'Yes' | 'No' | null;
  TimeZone?: string | null;
  DefaultExpirationDate?: string | null;
  DryRun?: boolean | null;
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
  /** False only for the bench's baseline: store no undo data (see UpsertContext.keepUndo). */
  keepUndo?: boolean;
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
  // Before the source map: the skill's own configuration refuses the load (UnknownSuppressionList).
  await skillSuppression(db, skill, deps.now());
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
  // First, so a list gone since the call's checks refuses the load before anything is written.
  const suppression = await skillSuppression(client, prepared.skill, options.now);
  const runId = await runs.createRun(client, {
    skillNo: prepared.skill.SkillNo,
    sourceName: prepared.sourceName,
    sourceMapVersion: prepared.sourceMapVersion,
    origin: run.origin,
    jobId: run.jobId ?? null,
    cursorBefore: run.cursorBefore ?? null,
    cursorAfter: run.cursorAfter ?? null,
  });

  const ctx = {
    skillNo: prepared.skill.SkillNo,
    sourceName: prepared.sourceName,
    sourceMapVersion: prepared.sourceMapVersion,
    runId,
    ...(run.keepUndo === false ? { keepUndo: false } : {}),
  };
  // Loads into one skill and source take turns, so two of them never lock the same contacts in
  // opposite orders.
  await prospects.lockProspectSource(client, prepared.skill.SkillNo, prepared.sourceName);
  const loaded = await loadInChunks(client, { ctx, suppression }, records, options);
  await prospects.rememberTimeZones(client, loaded.zones, loaded.places);

  const counts: Record<string, number> = {};
  for (const r of loaded.results) counts[r.resultCode] = (counts[r.resultCode] ?? 0) + 1;
  await runs.finishRun(client, runId, { recordCount: records.length, counts });
  return { runId, Results: answerResults(loaded.results), counts };
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
  const ctx = { skillNo: prepared.skill.SkillNo, sourceName: prepared.sourceName, sourceMapVersion: prepared.sourceMapVersion, runId };
  const suppression = await skillSuppression(client, prepared.skill, prepared.options.now);
  await prospects.lockProspectSource(client, prepared.skill.SkillNo, prepared.sourceName);
  const loaded = await storeChunk(client, { ctx, suppression }, records, startIndex, out);
  await prospects.rememberTimeZones(client, loaded.zones, loaded.places);
  return loaded.results;
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
    if (isForeignKeyViolation(err)) throw unknownSkill(prepared.skill.SkillNo);
    throw err;
  }
  deps.logger.info(
    {
      runId: outcome.runId,
      skillNo: prepared.skill.SkillNo,
      sourceName: prepared.sourceName,
      records: prepared.records.length,
      counts: outcome.counts,
      ms: Date.now() - started,
    },
    'create-prospects run stored',
  );
  return outcome;
}
