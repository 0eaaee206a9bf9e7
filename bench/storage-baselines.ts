/**
 * The two yardsticks the create-prospects numbers are read against, both storing rows the
 * pipeline has already made (untimed), so they measure storage alone:
 * - COPY: the pipeline's prospects and their destinations streamed with COPY (pg-copy-streams,
 *   text format) into the real tables of a fresh schema, in one transaction: as fast as Postgres
 *   takes these rows with these indexes. Optionally also one run_results row per input record.
 * - naive: the "naive one-query-per-record upsert": one INSERT ... ON CONFLICT per record
 *   (the contact and its numbers), what a first, record-at-a-time version of the use case would
 *   do, each committing on its own as such a loop does; and the same loop in one transaction.
 */
import type pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { copyField, copyRow } from '../src/db/copy-text';
import { numberZones } from '../src/db/prospects';
import * as runs from '../src/db/runs';
import { jsonSafe } from '../src/domain/json-safe';
import { runPipeline, type PipelineOutput } from '../src/domain/pipeline';
import type { ProspectRow } from '../src/domain/prospect';
import { recordResults } from '../src/domain/results';
import type { SuccessCode } from '../src/domain/result-code';
import { BENCH_SKILL, BENCH_SOURCE, benchPipelineOptions } from './bench-skill';

/** The pipeline's answer for a whole call, made the way the use case makes it (chunks sharing `seen`). */
export function pipelineOutput(records: readonly unknown[], chunk = 5_000): PipelineOutput {
  const options = benchPipelineOptions();
  const seen = new Set<string>();
  const out: PipelineOutput = { rows: [], failures: [] };
  for (let start = 0; start < records.length; start += chunk) {
    const part = runPipeline(records.slice(start, start + chunk), options, start, seen);
    out.rows.push(...part.rows);
    out.failures.push(...part.failures);
  }
  return out;
}

/**
 * COPY as fast as it goes from node: encoding streamed in ~256 kB writes, each sent while the
 * next is encoded (nothing else runs in the event loop here).
 */
async function copyRows(client: pg.PoolClient, table: string, columns: string[], rows: Iterable<string>): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(batched(rows), { objectMode: false }), stream);
}

function* batched(rows: Iterable<string>): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const row of rows) {
    parts.push(row);
    size += row.length;
    if (size >= 256 * 1024) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

const PROSPECT_COLUMNS = [
  'prospect_id',
  'skill_no',
  'source_name',
  'external_id',
  'first_name',
  'last_name',
  'time_zone',
  'time_zone_source',
  'expiration_date',
  'expires_at',
  'priority',
  'score',
  'fields',
  'number_zones',
  'source_map_version',
  'last_run_id',
];
const DESTINATION_COLUMNS = ['prospect_id', 'position', 'phone_number', 'type', 'time_zone', 'status'];
const RESULT_COLUMNS = ['run_id', 'seq', 'result_code', 'result_message', 'external_id', 'record'];

function* prospectLines(rows: readonly ProspectRow[], runId: number | null): Generator<string> {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    yield copyRow([
      copyField(i + 1),
      copyField(BENCH_SKILL),
      copyField(BENCH_SOURCE),
      copyField(jsonSafe(r.externalId)),
      copyField(jsonSafe(r.firstName)),
      copyField(jsonSafe(r.lastName)),
      copyField(r.timeZone),
      copyField(r.timeZoneSource),
      copyField(r.expirationDate),
      copyField(r.expiresAt),
      copyField(r.priority),
      copyField(r.score),
      copyField(JSON.stringify(jsonSafe(r.fields))),
      numberZones(r.destinations),
      copyField(1),
      copyField(runId),
    ]);
  }
}

function* destinationLines(rows: readonly ProspectRow[]): Generator<string> {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (let p = 0; p < r.destinations.length; p++) {
      const d = r.destinations[p]!;
      yield copyRow([copyField(i + 1), copyField(p), copyField(d.phoneNumber), copyField(d.type), copyField(d.timeZone), 'Active']);
    }
  }
}

function* resultLines(records: readonly unknown[], out: PipelineOutput, runId: number): Generator<string> {
  const stored = new Map<number, SuccessCode>(out.rows.map((r) => [r.index, 'Created']));
  for (const r of recordResults(records, out.rows, out.failures, stored)) {
    yield copyRow([
      copyField(runId),
      copyField(r.index),
      copyField(r.resultCode),
      copyField(jsonSafe(r.resultMessage ?? null)),
      copyField(jsonSafe(r.externalId)),
      copyField(JSON.stringify(jsonSafe(r.record)) ?? 'null'),
    ]);
  }
}

/**
 * Milliseconds to COPY the pipeline's rows (and, with `withResults`, one result per record) into
 * an empty, migrated schema holding the bench skill. Encoding the rows is inside the time.
 */
export async function copyBaseline(pool: pg.Pool, records: readonly unknown[], out: PipelineOutput, withResults: boolean): Promise<number> {
  const client = await pool.connect();
  try {
    const runId = await runs.createRun(client, { skillNo: BENCH_SKILL, sourceName: BENCH_SOURCE, sourceMapVersion: 1, origin: 'Api' });
    const started = performance.now();
    await client.query('BEGIN');
    await copyRows(client, 'prospects', PROSPECT_COLUMNS, prospectLines(out.rows, runId));
    await copyRows(client, 'destinations', DESTINATION_COLUMNS, destinationLines(out.rows));
    if (withResults) await copyRows(client, 'run_results', RESULT_COLUMNS, resultLines(records, out, runId));
    await client.query('COMMIT');
    return performance.now() - started;
  } finally {
    client.release();
  }
}

/**
 * Milliseconds to upsert the pipeline's rows record by record: one statement per record (the
 * contact and its numbers, in one INSERT ... ON CONFLICT with a CTE). `oneTransaction` false is
 * the loop as first written, each statement committing on its own; true wraps the loop in one
 * transaction, which saves a commit per record (the stricter yardstick).
 */
export async function naiveBaseline(pool: pg.Pool, out: PipelineOutput, oneTransaction: boolean): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    if (oneTransaction) await client.query('BEGIN');
    for (const r of out.rows) {
      await client.query(
        `WITH p AS (
           INSERT INTO prospects AS p (skill_no, source_name, external_id, first_name, last_name, time_zone,
             time_zone_source, expiration_date, expires_at, priority, score, fields, number_zones, source_map_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::text[], 1)
           ON CONFLICT (skill_no, source_name, external_id) DO UPDATE SET
             first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, time_zone = EXCLUDED.time_zone,
             time_zone_source = EXCLUDED.time_zone_source, expiration_date = EXCLUDED.expiration_date,
             expires_at = EXCLUDED.expires_at, priority = EXCLUDED.priority, score = EXCLUDED.score,
             fields = EXCLUDED.fields, number_zones = EXCLUDED.number_zones, updated_at = now()
           RETURNING p.prospect_id)
         INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone)
         SELECT p.prospect_id, d.position - 1, d.phone_number, d.type, d.time_zone
         FROM p, unnest($14::text[], $15::text[], $16::text[]) WITH ORDINALITY AS d(phone_number, type, time_zone, position)
         ON CONFLICT (prospect_id, position) DO UPDATE SET
           phone_number = EXCLUDED.phone_number, type = EXCLUDED.type, time_zone = EXCLUDED.time_zone`,
        [
          BENCH_SKILL,
          BENCH_SOURCE,
          jsonSafe(r.externalId),
          jsonSafe(r.firstName),
          jsonSafe(r.lastName),
          r.timeZone,
          r.timeZoneSource,
          r.expirationDate,
          r.expiresAt,
          r.priority,
          r.score,
          JSON.stringify(jsonSafe(r.fields)),
          numberZones(r.destinations),
          r.destinations.map((d) => d.phoneNumber),
          r.destinations.map((d) => d.type),
          r.destinations.map((d) => d.timeZone),
        ],
      );
    }
    if (oneTransaction) await client.query('COMMIT');
    return performance.now() - started;
  } finally {
    client.release();
  }
}
