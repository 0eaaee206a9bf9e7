/**
 * Do-not-call enforcement rules (contract section 8, issue 12): which lists a skill applies, which
 * entry holds a number, and what a load does with suppressed numbers. Pure: the service asks
 * Postgres which numbers of a chunk are suppressed (db/suppression-match.ts) and passes the
 * answer in.
 *
 * The law this serves (US, TCPA rules of the FCC):
 * - 47 CFR § 64.1200(d)(3): a caller keeps its own (internal, company-specific) do-not-call list,
 *   records every do-not-call request on it and honours it "within a reasonable time ... not to
 *   exceed ten business days" of receipt (thirty days before FCC 24-24 revised (d)(3)); (d)(6)
 *   keeps a request in force for five years. A skill's lists are that list; the `DoNotCall`
 *   outcome adds a number to the skill's DoNotCallList.
 * - 47 CFR § 64.1200(a)(10) (FCC 24-24, Report and Order of February 15, 2024, 89 FR 15756,
 *   effective April 11, 2025): consent to robocalls may be revoked "using any reasonable method",
 *   and a revocation is honoured within a reasonable time not to exceed ten business days. (The
 *   FCC's April 7, 2025 order postponed, to April 11, 2026, only the part that makes one
 *   revocation reach the caller's unrelated calls; we honour every revocation for every skill.)
 *   Revocations are entries of the built-in all-skills list `Revocations`.
 * - Stricter than the law: an entry takes effect at the very next claim after its add was
 *   answered, not within ten business days, and however long ago the number was loaded. The law
 *   allows days because most dialers scrub only when they load (VICIdial's hopper, for one, may
 *   still dial a number added after it filled); we check at every claim, in the claim's own
 *   statement, so there is no window in which a suppressed number can be handed out.
 */
import type { PipelineOutput } from './pipeline';
import { nameNumbers } from './pipeline';
import { maskPhone } from './phone-number';
import type { ProspectRow, RecordFailure } from './prospect';
import type { Compliance } from './skill';

/** How an entry holds a number: an entry for that very number, or a prefix it starts with. */
export type MatchKind = 'Number' | 'Prefix';

export interface SuppressionMatch {
  listName: string;
  kind: MatchKind;
}

/**
 * The lists a skill names: its SuppressionLists and its DoNotCallList (a list the skill feeds with
 * its own DoNotCall outcomes is one it must not call either), each once. Lists with AllSkills
 * (Revocations among them) apply besides these; Postgres knows which those are.
 *
 * A named list that does not exist (never created, or deleted since) refuses every load into the
 * skill, call-level, before anything is written: a load that silently skipped a list the operator
 * meant to apply would be the one mistake this feature exists to prevent. A claim cannot be
 * refused that way; it applies the lists that exist (a deleted list's entries are gone anyway).
 */
export function namedLists(compliance: Compliance | undefined): string[] {
  if (compliance === undefined) return [];
  const names = [...compliance.SuppressionLists];
  if (compliance.DoNotCallList !== undefined) names.push(compliance.DoNotCallList);
  return [...new Set(names)];
}

/**
 * The entry that answers for a number held by several: a number entry before a prefix, then the
 * list first by name, so a message names the same list whatever order Postgres answers in.
 */
export function holdingMatch(matches: readonly SuppressionMatch[]): SuppressionMatch | undefined {
  let best: SuppressionMatch | undefined;
  for (const m of matches) {
    if (best === undefined || rank(m) < rank(best)) best = m;
  }
  return best;
}

function rank(m: SuppressionMatch): string {
  return `${m.kind === 'Number' ? 0 : 1}${m.listName}`;
}

/** One entry as the naive model sees it (the tests' and the check's reading of section 8). */
export interface SuppressionEntry {
  listName: string;
  /** E.164 digits without '+': a whole number for kind Number, its first digits for Prefix. */
  digits: string;
  kind: MatchKind;
  expiresAt: Date | null;
}

/** Whether an entry suppresses `e164` at `at`: ExpiresAt is exclusive (at that instant it no longer does). */
export function entrySuppresses(entry: SuppressionEntry, e164: string, at: Date): boolean {
  if (entry.expiresAt !== null && entry.expiresAt.getTime() <= at.getTime()) return false;
  const digits = e164.startsWith('+') ? e164.slice(1) : e164;
  return entry.kind === 'Number' ? digits === entry.digits : digits.startsWith(entry.digits);
}

/** One number a load dropped, as the run keeps it for the dashboard: masked, never whole. */
export interface SuppressedNumber {
  /** The record's position in the run (its result's seq). */
  index: number;
  /** Its place among the numbers the record named, 0-based. */
  position: number;
  /** maskPhone of the number. */
  masked: string;
  listName: string;
  byPrefix: boolean;
  /** Whether the record failed DoNotCall (every valid number suppressed) rather than kept. */
  refused: boolean;
}

export interface SuppressedLoad {
  out: PipelineOutput;
  /** Whether any row lost a number or became a DoNotCall failure. */
  changed: boolean;
  /** Numbers dropped, by the list that holds them. */
  refusedByList: Map<string, number>;
  /** Every number dropped, in record order, as the ResultMessages name them (but all of them). */
  named: SuppressedNumber[];
}

/**
 * A chunk's pipeline answer with suppressed numbers taken out: each suppressed number is dropped
 * from its row and named, masked, with its list in the row's warnings (its ResultMessage) and in
 * `named` (the run keeps those for the dashboard, which never reads them back out of messages); a
 * row left with no number becomes a `DoNotCall` failure, so nothing is stored for it. Every record
 * keeps exactly one answer: rows and failures are only moved between, never added or lost.
 *
 * The contact keeps the time zone the pipeline gave it, even when that came from a dropped
 * primary number's prefix: each remaining number carries its own zone for the calling window.
 *
 * `records` are the chunk's inputs, numbered from `startIndex` (the failure echoes its record).
 */
export function withoutSuppressed(
  out: PipelineOutput,
  suppressed: ReadonlyMap<string, SuppressionMatch>,
  records: readonly unknown[],
  startIndex: number,
): SuppressedLoad {
  const refusedByList = new Map<string, number>();
  const all: SuppressedNumber[] = [];
  if (suppressed.size === 0) return { out, changed: false, refusedByList, named: all };
  const rows: ProspectRow[] = [];
  const failures: RecordFailure[] = [...out.failures];
  let changed = false;
  for (const row of out.rows) {
    const named: string[] = [];
    const mine: SuppressedNumber[] = [];
    const kept = row.destinations.filter((d) => {
      const match = suppressed.get(d.phoneNumber);
      if (match === undefined) return true;
      const masked = maskPhone(d.phoneNumber);
      const byPrefix = match.kind === 'Prefix';
      named.push(`${masked} (${match.listName}${byPrefix ? ', by prefix' : ''})`);
      mine.push({ index: row.index, position: mine.length, masked, listName: match.listName, byPrefix, refused: false });
      refusedByList.set(match.listName, (refusedByList.get(match.listName) ?? 0) + 1);
      return false;
    });
    if (named.length === 0) {
      rows.push(row);
      continue;
    }
    changed = true;
    for (const n of mine) all.push(kept.length > 0 ? n : { ...n, refused: true });
    if (kept.length > 0) {
      rows.push({ ...row, destinations: kept, warnings: [...row.warnings, `dropped suppressed number(s): ${nameNumbers(named)}`] });
      continue;
    }
    failures.push({
      index: row.index,
      record: records[row.index - startIndex],
      externalId: row.externalId,
      resultCode: 'DoNotCall',
      resultMessage: [`every valid number is suppressed: ${nameNumbers(named)}`, ...row.warnings].join('; '),
    });
  }
  return { out: changed ? { rows, failures } : out, changed, refusedByList, named: all };
}
