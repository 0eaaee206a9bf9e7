import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { inTransaction } from '../db/pool';
import * as lists from '../db/suppression-lists';
import type { BatchSource, SuppressionListRow } from '../db/suppression-lists';
import * as entries from '../db/suppression-entries';
import { readHistory as readHistoryRows } from '../db/suppression-reads';
import { parseExpiration } from '../domain/expiration';
import { maskPhone, normalizePhone } from '../domain/phone-number';
import type { RecordResult } from '../domain/prospect';
import type { ResultCode } from '../domain/result-code';
import { answerResults, type ResultGroups } from '../domain/results';
import { e164Digits, e164FromDigits, parsePrefix, readEntry, type ReadEntry } from '../domain/suppression';
import { CallError, invalidData } from './errors';
import { readOnly, unknownList } from './suppression-lists';

/** Entries per call, as for create-prospects (and Five9's check). */
export const MAX_ENTRIES_PER_CALL = 50_000;

export const EntriesBodySchema = z.object({
  Data: z.array(z.unknown(), { error: 'must be an array of entries' }).meta({
    description: `Up to ${MAX_ENTRIES_PER_CALL} entries: { "PhoneNumber" | "Prefix", "ExpiresAt"?, "Reason"? }`,
    example: [
      { PhoneNumber: '(212) 555-0100', Reason: 'asked on the call' },
      { Prefix: '+1212555', ExpiresAt: '2026-12-31T00:00:00Z' },
    ],
  }),
  Reason: z.string().max(500).optional().meta({ description: 'remove-entries: why the entries are removed (kept in the history)' }),
});

/** Who is acting: the key's role (null when the service is open, or for the CLI). */
export interface Actor {
  role: string | null;
  source: BatchSource;
  fileName?: string | null;
}

type Deps = Pick<AppDeps, 'pool' | 'now' | 'config' | 'logger'>;

function instant(raw: unknown): Date | null {
  const e = parseExpiration(raw);
  return e?.kind === 'Instant' ? e.at : null;
}

/** The service's reading of one element (the default country from the configuration). */
export function entryReader(deps: Pick<AppDeps, 'config'>, now: Date): (element: unknown) => ReadEntry {
  const normalize = (raw: unknown) => normalizePhone(raw, deps.config.defaultCountry)?.phoneNumber ?? null;
  return (element) => readEntry(element, normalize, now, instant);
}

function parseCall(body: unknown): { data: unknown[]; reason: string | null } {
  const parsed = EntriesBodySchema.safeParse(body);
  if (!parsed.success) throw invalidData(parsed.error);
  if (parsed.data.Data.length > MAX_ENTRIES_PER_CALL) {
    throw new CallError('BatchTooLarge', `Data holds ${parsed.data.Data.length} entries; at most ${MAX_ENTRIES_PER_CALL} per call`);
  }
  return { data: parsed.data.Data, reason: parsed.data.Reason ?? null };
}

/** Locks the list for writing, or refuses the call (unknown, or built in when `writable`). */
async function lockForWrite(
  client: Parameters<typeof lists.lockList>[0],
  name: string,
  allowBuiltIn: boolean,
): Promise<SuppressionListRow> {
  const list = await lists.lockList(client, name);
  if (!list) throw unknownList(name);
  if (list.builtIn && !allowBuiltIn) throw readOnly(list.name);
  return list;
}

const keyOf = (e: Extract<ReadEntry, { ok: true }>) => `${e.kind}:${e.key}`;

/**
 * Adds entries to a list: each element answered Added, Updated, InvalidPhoneNumber or
 * InvalidFieldValue, in input order within its group. An entry named twice in one call is written
 * once, as its first element gives it; the later one is answered alike with a message saying so.
 */
export async function addEntries(
  deps: Deps,
  listName: string,
  body: unknown,
  actor: Actor,
  opts: { allowBuiltIn?: boolean; reader?: (element: unknown, now: Date) => ReadEntry } = {},
): Promise<{ Results: ResultGroups; counts: Record<string, number> }> {
  const { data } = parseCall(body);
  const now = deps.now();
  const reader = opts.reader;
  const read = reader ? data.map((element) => reader(element, now)) : data.map(entryReader(deps, now));
  const first = new Map<string, number>();
  read.forEach((e, i) => {
    if (e.ok && !first.has(keyOf(e))) first.set(keyOf(e), i);
  });
  const pick = <K extends 'number' | 'prefix'>(kind: K) =>
    [...first.values()]
      .map((i) => read[i] as Extract<ReadEntry, { ok: true; kind: K }>)
      .filter((e) => e.kind === kind)
      .map((e) => ({ key: e.key, expiresAt: e.expiresAt, reason: e.reason }));

  const added = await inTransaction(deps.pool, async (client) => {
    const list = await lockForWrite(client, listName, opts.allowBuiltIn ?? false);
    if (first.size === 0) return new Set<string>();
    const batchId = await lists.createBatch(client, { listId: list.listId, source: actor.source, role: actor.role, at: now });
    const numbers = await entries.upsertEntries(client, 'number', list.listId, batchId, pick('number'));
    const prefixes = await entries.upsertEntries(client, 'prefix', list.listId, batchId, pick('prefix'));
    return new Set([...[...numbers].map((k) => `number:${k}`), ...[...prefixes].map((k) => `prefix:${k}`)]);
  });

  const results: RecordResult[] = read.map((e, index) => {
    const record = data[index];
    if (!e.ok) return { index, record, externalId: null, resultCode: e.code, resultMessage: e.message };
    const code: ResultCode = added.has(keyOf(e)) ? 'Added' : 'Updated';
    const firstIndex = first.get(keyOf(e))!;
    return firstIndex === index
      ? { index, record, externalId: null, resultCode: code }
      : {
          index,
          record,
          externalId: null,
          resultCode: code,
          resultMessage: `the same entry as Data[${firstIndex}]: written once, as Data[${firstIndex}] gives it`,
        };
  });
  return finish(deps, 'suppression entries added', listName, actor, results);
}

/** Removes entries of a list: each element answered Removed, NotFound or a failure. */
export async function removeEntries(
  deps: Deps,
  listName: string,
  body: unknown,
  actor: Actor,
): Promise<{ Results: ResultGroups; counts: Record<string, number> }> {
  const { data, reason } = parseCall(body);
  const now = deps.now();
  const read = data.map((element) => {
    // A removal names an entry only: ExpiresAt and Reason of the element are not read.
    if (element !== null && typeof element === 'object' && !Array.isArray(element)) {
      const { PhoneNumber, Prefix } = element as Record<string, unknown>;
      return entryReader(deps, now)({ PhoneNumber, Prefix });
    }
    return entryReader(deps, now)(element);
  });
  const keys = (kind: 'number' | 'prefix') => [...new Set(read.flatMap((e) => (e.ok && e.kind === kind ? [e.key] : [])))];
  const removed = await inTransaction(deps.pool, async (client) => {
    const list = await lockForWrite(client, listName, false);
    if (!read.some((e) => e.ok)) return new Set<string>();
    const batchId = await lists.createBatch(client, { listId: list.listId, source: actor.source, role: actor.role, at: now });
    const numbers = await entries.removeEntries(client, 'number', list.listId, batchId, keys('number'), reason);
    const prefixes = await entries.removeEntries(client, 'prefix', list.listId, batchId, keys('prefix'), reason);
    return new Set([...[...numbers].map((k) => `number:${k}`), ...[...prefixes].map((k) => `prefix:${k}`)]);
  });
  const answered = new Set<string>();
  const results: RecordResult[] = read.map((e, index) => {
    const record = data[index];
    if (!e.ok) return { index, record, externalId: null, resultCode: e.code, resultMessage: e.message };
    // An entry named twice: the first element removed it, the later one finds nothing.
    const gone = removed.has(keyOf(e)) && !answered.has(keyOf(e));
    answered.add(keyOf(e));
    return { index, record, externalId: null, resultCode: gone ? 'Removed' : 'NotFound' };
  });
  return finish(deps, 'suppression entries removed', listName, actor, results);
}

function finish(
  deps: Deps,
  what: string,
  listName: string,
  actor: Actor,
  results: RecordResult[],
): { Results: ResultGroups; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.resultCode] = (counts[r.resultCode] ?? 0) + 1;
  // Counts only: no number reaches the log.
  deps.logger.info({ list: listName, role: actor.role, source: actor.source, entries: results.length, counts }, what);
  return { Results: answerResults(results), counts };
}

export const HistoryQuerySchema = z.object({
  PhoneNumber: z.string().min(1).max(64).optional(),
  Prefix: z.string().min(1).max(40).optional(),
});

export interface HistoryAnswer {
  ListName: string;
  PhoneNumber?: string;
  Prefix?: string;
  History: Array<{
    Action: 'Added' | 'Removed';
    At: string;
    Role: string | null;
    Source: string;
    Reason: string | null;
    ExpiresAt: string | null;
    ClaimId: string | null;
    FileName: string | null;
    Current: boolean;
  }>;
}

/** Every add and removal of a number (or prefix) on a list, oldest first. */
export async function readHistory(
  deps: Pick<AppDeps, 'pool' | 'config'>,
  listName: string,
  query: { PhoneNumber?: string | undefined; Prefix?: string | undefined },
): Promise<HistoryAnswer> {
  if ((query.PhoneNumber === undefined) === (query.Prefix === undefined)) {
    throw new CallError('InvalidData', 'name exactly one of PhoneNumber and Prefix');
  }
  let entry: { number: number } | { prefix: string };
  let shown: { PhoneNumber: string } | { Prefix: string };
  if (query.PhoneNumber !== undefined) {
    const phone = normalizePhone(query.PhoneNumber, deps.config.defaultCountry);
    if (!phone) throw new CallError('InvalidPhoneNumber', `PhoneNumber ${maskPhone(query.PhoneNumber)} is not a valid phone number`);
    entry = { number: e164Digits(phone.phoneNumber) };
    shown = { PhoneNumber: phone.phoneNumber };
  } else {
    const prefix = parsePrefix(query.Prefix);
    if (prefix === null) throw new CallError('InvalidData', 'Prefix must be the start of an E.164 number, such as +1212');
    entry = { prefix };
    shown = { Prefix: e164FromDigits(prefix) };
  }
  const list = await lists.findList(deps.pool, listName);
  if (!list) throw unknownList(listName);
  const rows = await readHistoryRows(deps.pool, list.listId, entry);
  return {
    ListName: list.name,
    ...shown,
    History: rows.map((r) => ({
      Action: r.action,
      At: r.at.toISOString(),
      Role: r.role,
      Source: r.source,
      Reason: r.reason,
      ExpiresAt: r.expiresAt ? r.expiresAt.toISOString() : null,
      ClaimId: r.claimId,
      FileName: r.fileName,
      Current: r.current,
    })),
  };
}
