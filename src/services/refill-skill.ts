import type pg from 'pg';
import type { AppDeps } from '../app-deps';
import { createConnector } from '../connectors/create-connector';
import type { CrmConnector } from '../connectors/crm-connector';
import { isForeignKeyViolation } from '../db/pg-errors';
import { inTransaction } from '../db/pool';
import { advanceRefillState, lockRefillState, readRefillTarget } from '../db/refill-state';
import { owePublication } from '../db/run-publications';
import { ConnectorSchema, type Connector } from '../domain/skill';
import { CursorMoved, isCallError, RefillNotPossible } from './errors';
import { loadProspects, MAX_RECORDS_PER_CALL, prepareCreateProspects, type CreateProspectsResults } from './create-prospects';

export interface RefillRequest {
  skillNo: number;
  /** Records wanted; capped at the create-prospects limit per call. */
  count: number;
  jobId?: string;
}

export interface RefillOutcome {
  skillNo: number;
  /** Null when the CRM had nothing new: no empty run is stored. */
  runId: number | null;
  fetched: number;
  counts: Record<string, number>;
  /** The run's answers, for publishing without reading them back. */
  results: CreateProspectsResults | null;
  cursorBefore: string | null;
  cursorAfter: string | null;
  writeBack: boolean;
}

export interface RefillSkillOptions {
  signal?: AbortSignal;
  /** Which connector serves a skill's settings; tests swap in their own. */
  connectorFor?: (settings: Connector) => CrmConnector;
  /** Runs inside the transaction after everything is written, before the commit (tests crash here). */
  beforeCommit?: (client: pg.PoolClient) => Promise<void>;
}

/**
 * One refill of one skill: read the CRM after the stored cursor, run CREATEPROSPECTS v2 with the
 * skill's Refill options, and store prospects, run results and the new cursor in one transaction.
 *
 * The CRM is read before the transaction so no row lock is held across a network call; inside it
 * the skill's refill_state row is locked and the cursor checked unchanged, so two refills of one
 * skill can never both store the same page with different cursors. A worker killed anywhere
 * before the commit leaves nothing behind, and the retried job reads the same page again.
 */
export async function refillSkill(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now' | 'logger'>,
  request: RefillRequest,
  opts: RefillSkillOptions = {},
): Promise<RefillOutcome> {
  const { skillNo } = request;
  const target = await readRefillTarget(deps.pool, skillNo);
  if (!target) throw new RefillNotPossible('UnknownSkill', `skill ${skillNo} does not exist`);
  const refill = target.body.Refill;
  if (!refill?.Connector) {
    throw new RefillNotPossible('RefillNotConfigured', `skill ${skillNo} has no Refill.Connector to fetch from`);
  }
  // Stored bodies were validated when written; parsing again fills defaults an older body lacks.
  const settings = ConnectorSchema.safeParse(refill.Connector);
  if (!settings.success) {
    throw new RefillNotPossible('RefillNotConfigured', `skill ${skillNo} has a Refill.Connector this version cannot read`);
  }
  const connector = (opts.connectorFor ?? createConnector)(settings.data);
  const writeBack = settings.data.Type === 'http' && Boolean(settings.data.ResultsUrl);

  const limit = Math.max(1, Math.min(request.count, MAX_RECORDS_PER_CALL));
  const page = await connector.fetch(target.cursor, limit, opts.signal);
  const base = { skillNo, cursorBefore: target.cursor, cursorAfter: page.nextCursor, writeBack, fetched: page.records.length };

  if (page.records.length === 0) {
    if (page.nextCursor !== target.cursor) {
      await inTransaction(deps.pool, async (client) => {
        await lockedAt(client, skillNo, target.cursor);
        await advanceRefillState(client, skillNo, { cursor: page.nextCursor, runId: null, at: deps.now() });
      });
    }
    return { ...base, runId: null, counts: {}, results: null };
  }

  let prepared;
  try {
    prepared = await prepareCreateProspects(deps.pool, deps, {
      SkillNo: skillNo,
      SourceName: refill.SourceName,
      Data: page.records,
      NoTimeZoneReject: refill.NoTimeZoneReject,
      TimeZone: refill.TimeZone ?? null,
      DefaultExpirationDate: refill.DefaultExpirationDate ?? null,
    });
  } catch (err) {
    // A call-level refusal (no source map, a bad TimeZone) stays until an operator fixes the
    // skill or the map: retrying now only repeats it.
    if (isCallError(err)) throw new RefillNotPossible(err.code, err.message);
    throw err;
  }

  try {
    const outcome = await inTransaction(deps.pool, async (client) => {
      await lockedAt(client, skillNo, target.cursor);
      const loaded = await loadProspects(client, prepared, {
        origin: 'Refill',
        jobId: request.jobId ?? null,
        cursorBefore: target.cursor,
        cursorAfter: page.nextCursor,
      });
      await owePublication(client, loaded.runId, skillNo, writeBack);
      await advanceRefillState(client, skillNo, { cursor: page.nextCursor, runId: loaded.runId, at: deps.now() });
      await opts.beforeCommit?.(client);
      return loaded;
    });
    return { ...base, runId: outcome.runId, counts: outcome.counts, results: outcome.Results };
  } catch (err) {
    if (isForeignKeyViolation(err)) {
      throw new RefillNotPossible('UnknownSkill', `skill ${skillNo} was deleted during its refill`);
    }
    throw err;
  }
}

async function lockedAt(client: pg.PoolClient, skillNo: number, expected: string | null): Promise<void> {
  const locked = await lockRefillState(client, skillNo);
  if (!locked) throw new RefillNotPossible('UnknownSkill', `skill ${skillNo} was deleted during its refill`);
  if (locked.cursor !== expected) throw new CursorMoved(skillNo);
}
