import type { AppDeps } from '../app-deps';
import { inTransaction } from '../db/pool';
import * as sourceMaps from '../db/source-maps';
import { mappingsEqual, validateMapping, validateSourceName } from '../domain/source-map';
import { CallError, clip } from './errors';

export interface SetSourceMapResult {
  SourceName: string;
  Version: number;
  Result: 'Created' | 'Updated' | 'NoChangesMade';
}

export interface SourceMapView {
  SourceName: string;
  Version: number;
  Mapping: unknown;
}

/**
 * CREATESOURCEMAP: stores `mapping` as the next version of the source's map, or answers
 * NoChangesMade when it says the same as the current version. Refusals are CallErrors with the
 * contract's codes. Concurrent calls for one source are serialized, never two equal versions.
 */
export async function setSourceMap(
  deps: Pick<AppDeps, 'pool' | 'config'>,
  sourceName: string,
  mapping: unknown,
): Promise<SetSourceMapResult> {
  if (!validateSourceName(sourceName)) {
    throw new CallError(
      'InvalidSource',
      'SourceName must be 1-100 characters of letters, digits, dot, underscore or hyphen, starting with a letter or digit',
    );
  }
  const checked = validateMapping(mapping, deps.config.maxDestinations);
  if (!checked.ok) throw new CallError(checked.code, checked.message);

  return inTransaction(deps.pool, async (client) => {
    await sourceMaps.lockSourceName(client, sourceName);
    const current = await sourceMaps.findCurrentSourceMap(client, sourceName);
    if (current) {
      const before = validateMapping(current.mapping, Number.MAX_SAFE_INTEGER);
      if (before.ok && mappingsEqual(before.mapping, checked.mapping)) {
        return { SourceName: sourceName, Version: current.version, Result: 'NoChangesMade' as const };
      }
    }
    const stored = await sourceMaps.insertSourceMapVersion(client, sourceName, JSON.stringify(checked.mapping));
    return { SourceName: sourceName, Version: stored.version, Result: current ? ('Updated' as const) : ('Created' as const) };
  });
}

/** The current map of a source; CallError UnknownSource when it has none. */
export async function getSourceMap(deps: Pick<AppDeps, 'pool'>, sourceName: string): Promise<SourceMapView> {
  const current = await sourceMaps.findCurrentSourceMap(deps.pool, sourceName);
  if (!current) throw unknownSource(sourceName);
  return { SourceName: current.sourceName, Version: current.version, Mapping: current.mapping };
}

export function unknownSource(sourceName: string): CallError {
  return new CallError('UnknownSource', `no source map named "${clip(sourceName)}": create one with PUT /v1/source-maps/{SourceName}`);
}
