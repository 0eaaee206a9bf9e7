import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import * as lists from '../db/suppression-lists';
import type { SuppressionListRow } from '../db/suppression-lists';
import { SUPPRESSION_RULES, type SuppressionRule } from '../domain/suppression-rules';
import { CallError, invalidData } from './errors';

/** The built-in list that holds consent revocations (migration 020); it applies to every skill. */
export const REVOCATIONS_LIST = 'Revocations';

/** A ListName, read as a SourceName is: text without NUL, not empty. */
export const ListNameSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine((s) => !s.includes('\u0000'), 'must not hold the NUL character');

export const PutListBodySchema = z
  .object({
    Description: z.string().max(1000, 'must be at most 1000 characters').nullable().optional(),
    AllSkills: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();

export interface SuppressionList {
  ListName: string;
  Description: string | null;
  AllSkills: boolean;
  BuiltIn: boolean;
  Entries: number;
  CreatedAt: string;
  UpdatedAt: string;
}

export function toList(row: SuppressionListRow): SuppressionList {
  return {
    ListName: row.name,
    Description: row.description,
    AllSkills: row.allSkills,
    BuiltIn: row.builtIn,
    Entries: Number(row.entryCount),
    CreatedAt: row.createdAt.toISOString(),
    UpdatedAt: row.updatedAt.toISOString(),
  };
}

/** Creates or updates a list. The built-in Revocations list is not changed by callers. */
export async function putList(
  deps: Pick<AppDeps, 'pool' | 'now'>,
  name: string,
  body: unknown,
): Promise<SuppressionList & { Result: 'Created' | 'Updated' }> {
  const listName = ListNameSchema.safeParse(name);
  if (!listName.success) throw new CallError('InvalidData', `ListName ${listName.error.issues[0]!.message}`);
  const parsed = PutListBodySchema.safeParse(body ?? {});
  if (!parsed.success) throw invalidData(parsed.error);
  const existing = await lists.findList(deps.pool, listName.data);
  if (existing?.builtIn) throw readOnly(existing.name);
  const { list, created } = await lists.upsertList(
    deps.pool,
    listName.data,
    {
      description: parsed.data.Description ?? existing?.description ?? null,
      allSkills: parsed.data.AllSkills ?? existing?.allSkills ?? false,
    },
    deps.now(),
  );
  return { ...toList(list), Result: created ? 'Created' : 'Updated' };
}

export async function getList(deps: Pick<AppDeps, 'pool'>, name: string): Promise<SuppressionList> {
  const row = await lists.findList(deps.pool, name);
  if (!row) throw unknownList(name);
  return toList(row);
}

/** Every list with its entry count, and the rules the lists stand for. */
export async function listLists(deps: Pick<AppDeps, 'pool'>): Promise<{ Lists: SuppressionList[]; Rules: SuppressionRule[] }> {
  return { Lists: (await lists.listLists(deps.pool)).map(toList), Rules: [...SUPPRESSION_RULES] };
}

/** Every list's maintained entry count, for the entries-per-list gauge (read at each scrape). */
export async function readListSizes(deps: Pick<AppDeps, 'pool'>): Promise<Array<{ listId: number; name: string; entries: number }>> {
  return (await lists.listSizes(deps.pool)).map((l) => ({ ...l, entries: Number(l.entries) }));
}

/**
 * Deletes a list (operator): its entries and their history are kept (47 CFR § 64.1200(d)(6):
 * do-not-call requests are kept five years), the name is free for a new list. Refused while a
 * skill names it (409 ListInUse, naming the skills) and for the built-in Revocations (409).
 */
export async function deleteList(deps: Pick<AppDeps, 'pool' | 'now'>, name: string): Promise<SuppressionList & { Result: 'Deleted' }> {
  const existing = await lists.findList(deps.pool, name);
  if (!existing) throw unknownList(name);
  if (existing.builtIn) throw readOnly(existing.name);
  const client = await deps.pool.connect();
  try {
    const { deleted, namedBy } = await lists.deleteList(client, existing.listId, deps.now());
    if (namedBy.length > 0) {
      throw new CallError(
        'ListInUse',
        `the list ${existing.name} is applied by skill(s) ${namedBy.join(', ')}: take it out of their Compliance first, ` +
          'so that no skill is left calling numbers it was told not to',
      );
    }
    if (!deleted) throw unknownList(name);
    return { ...toList(deleted), Result: 'Deleted' };
  } finally {
    client.release();
  }
}

export function unknownList(name: string): CallError {
  return new CallError(
    'UnknownList',
    `no suppression list ${JSON.stringify(name.slice(0, 100))}: create it with PUT /v1/suppression-lists/{ListName}`,
  );
}

export function readOnly(name: string): CallError {
  return new CallError(
    'ListReadOnly',
    `the list ${name} is built in: revocations are recorded with POST /v1/consent/revocations and are never undone`,
  );
}
