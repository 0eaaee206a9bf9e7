/** The skill, source map and clock every create-prospects measurement uses. */
import type pg from 'pg';
import pino from 'pino';
import type { AppDeps } from '../src/app-deps';
import { loadConfig } from '../src/config';
import type { PipelineOptions } from '../src/domain/pipeline';
import { validateMapping } from '../src/domain/source-map';
import { setSourceMap } from '../src/services/set-source-map';
import { putSkill } from '../src/services/skills';
import { BENCH_MAPPING } from './prospect-records';

export const BENCH_SKILL = 4100;
export const BENCH_SOURCE = 'crm';
/** 2026-03-02 15:00 UTC: 10:00 in New York; '2026-12-31' expirations lie ahead, '2020-06-30' behind. */
export const BENCH_NOW = new Date('2026-03-02T15:00:00Z');

/** Puts the bench skill and source map into the pool's schema; answers deps for the use case. */
export async function benchDeps(pool: pg.Pool): Promise<AppDeps> {
  const deps: AppDeps = {
    config: loadConfig({}),
    pool,
    logger: pino({ level: 'silent' }),
    now: () => BENCH_NOW,
  };
  await putSkill(deps, BENCH_SKILL, { Name: 'Bench', DefaultExpirationDays: 30 });
  await setSourceMap(deps, BENCH_SOURCE, BENCH_MAPPING);
  return deps;
}

/** What prepareCreateProspects would hand the pipeline for the bench call. */
export function benchPipelineOptions(): PipelineOptions {
  const checked = validateMapping(BENCH_MAPPING, Number.MAX_SAFE_INTEGER);
  if (!checked.ok) throw new Error(`bench mapping: ${checked.message}`);
  const config = loadConfig({});
  return {
    mapping: checked.mapping,
    noTimeZoneReject: 'No',
    defaultTimeZone: null,
    defaultExpirationDate: null,
    defaultExpirationDays: 30,
    defaultCountry: config.defaultCountry,
    maxDestinations: config.maxDestinations,
    now: BENCH_NOW,
  };
}

export function createProspectsInput(records: unknown[]): { SkillNo: number; SourceName: string; Data: unknown[] } {
  return { SkillNo: BENCH_SKILL, SourceName: BENCH_SOURCE, Data: records };
}
