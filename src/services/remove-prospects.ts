import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { inTransaction } from '../db/pool';
import * as prospects from '../db/prospects';
import * as skills from '../db/skills';
import * as sourceMaps from '../db/source-maps';
import { cleanText } from '../domain/field-value';
import { isPlainObject } from '../domain/plain-object';
import { readPath } from '../domain/record-path';
import type { RecordResult } from '../domain/prospect';
import { answerResults } from '../domain/results';
import { validateMapping } from '../domain/source-map';
import { CallError, invalidData } from './errors';
import { CallSourceNameSchema, CHUNK_SIZE, MAX_RECORDS_PER_CALL, type CreateProspectsResults } from './create-prospects';
import { SkillNoSchema, unknownSkill } from './skills';

export const RemoveProspectsInputSchema = z.object({
  SkillNo: SkillNoSchema,
  SourceName: CallSourceNameSchema,
  Data: z.union([z.array(z.unknown()), z.looseObject({})], {
    error: 'must be an array of records (or one record object)',
  }),
});

export interface RemoveProspectsInput {
  SkillNo: number;
  SourceName: string;
  Data: unknown;
}

/**
 * REMOVEPROSPECTS: deletes a skill's prospects named by the records' ExternalIDs, read with the
 * source map's ExternalID path, or from an `ExternalID` property, or a record that is itself the
 * ID (a string or number). Each record is answered Removed, NotFound, MissingExternalId or
 * DuplicateExternalId (named twice in one call: the first one answers).
 */
export async function removeProspects(
  deps: Pick<AppDeps, 'pool' | 'logger'>,
  input: unknown,
): Promise<{ Results: CreateProspectsResults; counts: Record<string, number> }> {
  const parsed = RemoveProspectsInputSchema.safeParse(input);
  if (!parsed.success) throw invalidData(parsed.error);
  const call = parsed.data;
  const records: readonly unknown[] = Array.isArray(call.Data) ? call.Data : [call.Data];
  if (records.length > MAX_RECORDS_PER_CALL) {
    throw new CallError('BatchTooLarge', `Data holds ${records.length} records; at most ${MAX_RECORDS_PER_CALL} per call`);
  }
  if (!(await skills.findSkill(deps.pool, call.SkillNo))) throw unknownSkill(call.SkillNo);
  const stored = await sourceMaps.findCurrentSourceMap(deps.pool, call.SourceName);
  const checked = stored ? validateMapping(stored.mapping, Number.MAX_SAFE_INTEGER) : null;
  const externalIdPath = checked?.ok ? checked.mapping.ExternalID : null;

  const ids = records.map((r) => externalIdOf(r, externalIdPath));
  const results: RecordResult[] = [];
  const firstIndex = new Map<string, number>();
  ids.forEach((id, index) => {
    if (id !== null && !firstIndex.has(id)) firstIndex.set(id, index);
  });
  const unique = [...firstIndex.keys()];
  const removed = await inTransaction(deps.pool, async (client) => {
    await prospects.lockProspectSource(client, call.SkillNo, call.SourceName);
    const gone = new Set<string>();
    for (let start = 0; start < unique.length; start += CHUNK_SIZE) {
      for (const id of await prospects.removeProspects(client, call.SkillNo, call.SourceName, unique.slice(start, start + CHUNK_SIZE))) {
        gone.add(id);
      }
    }
    return gone;
  });
  ids.forEach((id, index) => {
    const record = records[index];
    if (id === null) {
      results.push({ index, record, externalId: null, resultCode: 'MissingExternalId', resultMessage: 'the record names no ExternalID' });
    } else if (firstIndex.get(id) !== index) {
      results.push({
        index,
        record,
        externalId: id,
        resultCode: 'DuplicateExternalId',
        resultMessage: 'an earlier record of this call has this ExternalID',
      });
    } else {
      results.push({ index, record, externalId: id, resultCode: removed.has(id) ? 'Removed' : 'NotFound' });
    }
  });
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.resultCode] = (counts[r.resultCode] ?? 0) + 1;
  deps.logger.info({ skillNo: call.SkillNo, sourceName: call.SourceName, records: records.length, counts }, 'remove-prospects done');
  return { Results: answerResults(results), counts };
}

function externalIdOf(record: unknown, mappedPath: string | null): string | null {
  if (typeof record === 'string' || typeof record === 'number') return idText(record);
  if (!isPlainObject(record)) return null;
  const mapped = mappedPath === null ? null : idText(readPath(record, mappedPath));
  return mapped ?? idText(record.ExternalID);
}

/** An ExternalID read the way the pipeline reads it: cleaned text, or a finite number as written. */
function idText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value !== 'string') return null;
  const id = cleanText(value);
  return id === '' ? null : id;
}
