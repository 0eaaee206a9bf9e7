import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { claimCalls, findClaim } from '../../src/db/claims';
import { callableCounts } from '../../src/db/dial-queue';
import { callingRules } from '../../src/domain/calling-rules';
import { checkCallingRules, readCallingRules } from '../../src/services/calling-rules-check';
import { freshSchema, type TestDb } from '../support/db';
import { texasRules } from '../support/local-rules-fixture';
import { insertProspects, insertSkills } from '../support/prospect-fixtures';

/**
 * CALLING_RULES_FILE: an installation's own rules (here Texas, which the repository's file does
 * not carry) are applied by the claim, CallableNow and the check alike, and recorded in the
 * claim's rules version. The variable is set before this file's first use of the rules, which
 * are read once per process.
 */
const dir = mkdtempSync(join(tmpdir(), 'pf-rules-'));
const file = join(dir, 'acme-rules.json');
writeFileSync(file, JSON.stringify(texasRules));
process.env.CALLING_RULES_FILE = file;

let db: TestDb;
beforeAll(async () => {
  db = await freshSchema('localrules');
});
afterAll(async () => {
  delete process.env.CALLING_RULES_FILE;
  await db.drop();
});

const CHI = 'America/Chicago';
const at = (iso: string) => DateTime.fromISO(iso, { zone: CHI }).toJSDate();

describe('CALLING_RULES_FILE', () => {
  it('is checked with the configuration: an unreadable or uncited file stops the service with its path', () => {
    expect(loadConfig({ CALLING_RULES_FILE: file }).callingRulesFile).toBe(file);
    expect(() => loadConfig({ CALLING_RULES_FILE: join(dir, 'missing.json') })).toThrow(/CALLING_RULES_FILE .*missing\.json/);
    const uncited = join(dir, 'uncited.json');
    writeFileSync(
      uncited,
      JSON.stringify({ Version: 'x', States: { TX: { Name: 'Texas', Rules: [{ Kind: 'ClosedWeekday', Day: 'Sun' }] } } }),
    );
    expect(() => loadConfig({ CALLING_RULES_FILE: uncited })).toThrow(ConfigError);
    expect(() => loadConfig({ CALLING_RULES_FILE: uncited })).toThrow(/States\.TX\.Rules\.0\.Citation/);
  });

  it('is answered by GET /v1/calling-rules with the combined version', () => {
    const rules = readCallingRules();
    expect(rules.Version).toBe(`${callingRules.Version}+acme-1`);
    expect(rules.States.TX?.Rules).toHaveLength(2);
    expect(rules.States.FL).toEqual(callingRules.States.FL);
  });

  it('holds a Texas contact back until noon on a Sunday: claim, CallableNow and the check agree', async () => {
    await insertSkills(db.pool, [{ skillNo: 1 }]);
    await insertProspects(db.pool, 1, [
      { externalId: 'T', state: 'TX', timeZone: CHI, destinations: [{ phone: '+15125550100', state: 'TX', timeZone: CHI }] },
    ]);
    const client = await db.pool.connect();
    try {
      for (const [iso, callable] of [
        ['2026-07-05T11:59', false],
        ['2026-07-05T12:00', true],
        ['2026-07-04T09:00', true],
        ['2026-07-04T08:59', false],
      ] as const) {
        const instant = at(iso);
        await client.query('BEGIN');
        const claimed = await claimCalls(client, 1, 10, instant, 'Autodial');
        expect(claimed.length, iso).toBe(callable ? 1 : 0);
        if (callable) expect((await findClaim(client, claimed[0]!.claimId))?.rulesVersion).toBe(`${callingRules.Version}+acme-1`);
        await client.query('ROLLBACK');
        expect((await callableCounts(db.pool, instant, [1]))[0]?.callableNow ?? 0, iso).toBe(callable ? 1 : 0);
        const check = await checkCallingRules(
          { pool: db.pool },
          { PhoneNumber: '+15125550100', State: 'TX', At: instant.toISOString() },
          instant,
        );
        expect(check.Callable, iso).toBe(callable);
        if (!callable) expect(check.Reasons).toEqual(['StateHours:TX']);
      }
    } finally {
      client.release();
    }
  });
});
