import type pg from 'pg';
import type { DbClient } from './pool';

export interface StoredSourceMap {
  sourceName: string;
  version: number;
  /** The Mapping as the caller gave it (validated when stored). */
  mapping: unknown;
  createdAt: Date;
}

interface SourceMapRecord {
  source_name: string;
  version: number;
  mapping: unknown;
  created_at: Date;
}

function toStored(r: SourceMapRecord): StoredSourceMap {
  return { sourceName: r.source_name, version: r.version, mapping: r.mapping, createdAt: r.created_at };
}

// Two-key advisory locks live apart from the one-key migration lock; the first key names the
// aggregate, the second the source within its schema (advisory locks span the whole database).
const SOURCE_MAP_LOCK_SPACE = 1_397_706_573;

/**
 * Serializes writers of one source name until the caller's transaction ends, so two concurrent
 * PUTs never both compute the same next version.
 */
export async function lockSourceName(client: pg.PoolClient, sourceName: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema() || '/' || $2))", [SOURCE_MAP_LOCK_SPACE, sourceName]);
}

export async function findCurrentSourceMap(db: DbClient, sourceName: string): Promise<StoredSourceMap | null> {
  const { rows } = await db.query<SourceMapRecord>(
    `SELECT source_name, version, mapping, created_at FROM source_maps
     WHERE source_name = $1 ORDER BY version DESC LIMIT 1`,
    [sourceName],
  );
  return rows[0] ? toStored(rows[0]) : null;
}

/** Stores the next version of a source map; hold lockSourceName first. */
export async function insertSourceMapVersion(client: pg.PoolClient, sourceName: string, mappingJson: string): Promise<StoredSourceMap> {
  const { rows } = await client.query<SourceMapRecord>(
    `INSERT INTO source_maps (source_name, version, mapping)
     SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb FROM source_maps WHERE source_name = $1
     RETURNING source_name, version, mapping, created_at`,
    [sourceName, mappingJson],
  );
  return toStored(rows[0]!);
}
