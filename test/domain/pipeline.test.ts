import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPipeline, type PipelineOptions } from '../../src/domain/pipeline';
import type { ProspectRow, RecordFailure } from '../../src/domain/prospect';
import { validateMapping, type Mapping } from '../../src/domain/source-map';

function mapping(input: unknown, max = 10): Mapping {
  const v = validateMapping(input, max);
  if (!v.ok) throw new Error(v.message);
  return v.mapping;
}

const MAP = mapping({
  ExternalID: 'id',
  PhoneNumber: ['phone', { Path: 'mobile', Type: 'Mobile' }, 'others'],
  FirstName: 'first',
  LastName: 'last',
  Zip: 'zip',
  State: 'state',
  TimeZone: 'tz',
  ExpirationDate: 'exp',
  Priority: 'prio',
  Score: 'score',
  ConfirmationRequired: 'confirm',
  Notes: 'notes',
  'Custom.Plan': 'plan',
});

const NOW = new Date('2026-06-01T12:00:00Z');
const OPTIONS: PipelineOptions = {
  mapping: MAP,
  noTimeZoneReject: 'No',
  defaultTimeZone: null,
  defaultExpirationDate: null,
  defaultExpirationDays: null,
  defaultCountry: 'US',
  maxDestinations: 10,
  now: NOW,
};

function one(record: unknown, options: Partial<PipelineOptions> = {}): ProspectRow | RecordFailure {
  const out = runPipeline([record], { ...OPTIONS, ...options });
  expect(out.rows.length + out.failures.length).toBe(1);
  return (out.rows[0] ?? out.failures[0]) as ProspectRow | RecordFailure;
}

function row(record: unknown, options: Partial<PipelineOptions> = {}): ProspectRow {
  const r = one(record, options);
  if ('resultCode' in r) throw new Error(`expected a row, got ${r.resultCode}: ${r.resultMessage}`);
  return r;
}

function failure(record: unknown, options: Partial<PipelineOptions> = {}): RecordFailure {
  const r = one(record, options);
  if (!('resultCode' in r)) throw new Error('expected a failure');
  return r;
}

describe('runPipeline: a good record', () => {
  it('becomes a row with E.164 destinations, its zone, expiration and every mapped field', () => {
    const r = row({
      id: ' A1 ',
      phone: '(212) 736-5000',
      mobile: '808-586-0000',
      first: 'Ann',
      last: 'Lee',
      zip: '10001-1234',
      prio: '5',
      score: 0.5,
      confirm: 'yes',
      notes: 'call after lunch',
      plan: 'Gold',
      exp: '2026-12-31',
      unmapped: 'ignored',
    });
    expect(r).toEqual({
      index: 0,
      externalId: 'A1',
      firstName: 'Ann',
      lastName: 'Lee',
      timeZone: 'America/New_York',
      timeZoneSource: 'Zip',
      state: 'NY',
      dialByHand: false,
      expirationDate: '2026-12-31',
      expiresAt: new Date('2027-01-01T05:00:00Z'),
      priority: 5,
      score: 0.5,
      fields: { Zip: '10001-1234', ConfirmationRequired: true, Notes: 'call after lunch', 'Custom.Plan': 'Gold' },
      destinations: [
        { phoneNumber: '+12127365000', type: 'Unknown', timeZone: 'America/New_York', state: 'NY', consent: false },
        { phoneNumber: '+18085860000', type: 'Mobile', timeZone: 'Pacific/Honolulu', state: 'HI', consent: false },
      ],
      warnings: [],
    });
  });

  it('takes a number as ExternalID, and null mapped values as absent', () => {
    const r = row({ id: 1234, phone: '212-736-5000', first: null, prio: null, zip: null, state: 'NY' });
    expect(r.externalId).toBe('1234');
    expect(r.firstName).toBeNull();
    expect(r.priority).toBe(0);
    expect(r.fields).toEqual({ State: 'NY' });
    expect(r.timeZoneSource).toBe('State');
  });

  it('reads nested paths and arrays of numbers, de-duplicated in mapping order', () => {
    const m = mapping({ ExternalID: 'contact.id', PhoneNumber: ['contact.phones', 'contact.phones.0', 'alt'] });
    const r = row(
      { contact: { id: 'N1', phones: ['212-736-5000', '(808) 586-0000', '212.736.5000'] }, alt: '+1 602 542 4331' },
      { mapping: m },
    );
    expect(r.destinations.map((d) => d.phoneNumber)).toEqual(['+12127365000', '+18085860000', '+16025424331']);
  });

  it('drops invalid numbers beside valid ones and names them masked', () => {
    const r = row({ id: 'W', phone: '12345', mobile: '212-736-5000', others: ['1-800-FLOWERS', '555 0100 99'] });
    expect(r.destinations.map((d) => d.phoneNumber)).toEqual(['+12127365000']);
    expect(r.warnings).toEqual(['dropped invalid number(s): *2345 (phone), **** (others), *****0099 (others)']);
  });

  it('keeps at most maxDestinations numbers and says how many more were left unread', () => {
    const m = mapping({ ExternalID: 'id', PhoneNumber: 'phones' }, 2);
    const r = row({ id: 'M', phones: ['212-736-5000', '808-586-0000', '602-542-4331'], zip: '10001' }, { mapping: m, maxDestinations: 2 });
    expect(r.destinations).toHaveLength(2);
    expect(r.warnings).toEqual(['ignored 1 more number(s) past the limit of 2']);
  });
});

describe('runPipeline: time zones', () => {
  it('Hawaii: 808, 96813, HI', () => {
    expect(row({ id: 'h1', phone: '808-586-0000' })).toMatchObject({ timeZone: 'Pacific/Honolulu', timeZoneSource: 'Phone' });
    expect(row({ id: 'h2', phone: '212-736-5000', zip: '96813' })).toMatchObject({ timeZone: 'Pacific/Honolulu', timeZoneSource: 'Zip' });
    expect(row({ id: 'h3', phone: '212-736-5000', state: 'HI' })).toMatchObject({ timeZone: 'Pacific/Honolulu', timeZoneSource: 'State' });
  });

  it('Arizona: 602, 85001, AZ are America/Phoenix, which keeps no daylight saving', () => {
    for (const rec of [{ phone: '602-542-4331' }, { phone: '212-736-5000', zip: '85001' }, { phone: '212-736-5000', state: 'AZ' }]) {
      const r = row({ id: 'az', ...rec, exp: '2026-07-15' });
      expect(r.timeZone).toBe('America/Phoenix');
      // End of July 15 in Phoenix: 07:00Z next day (UTC-7 in summer too).
      expect(r.expiresAt).toEqual(new Date('2026-07-16T07:00:00Z'));
    }
  });

  it('Alaska: 907 alone is ambiguous; 99501 and AK are Anchorage; the destination takes the contact zone', () => {
    expect(failure({ id: 'ak0', phone: '907-592-1234' }).resultCode).toBe('TimeZoneNotFound');
    const byZip = row({ id: 'ak1', phone: '907-592-1234', zip: '99501' });
    expect(byZip).toMatchObject({ timeZone: 'America/Anchorage', timeZoneSource: 'Zip' });
    expect(byZip.destinations[0]?.timeZone).toBe('America/Anchorage');
    expect(row({ id: 'ak2', phone: '907-592-1234', state: 'AK' }).timeZone).toBe('America/Anchorage');
    expect(row({ id: 'ak3', phone: '907-592-1234', zip: '99546' }).destinations[0]?.timeZone).toBe('America/Adak');
  });

  it('international numbers written with their country code', () => {
    expect(row({ id: 'gb', phone: '+44 20 7946 0958' })).toMatchObject({ timeZone: 'Europe/London', timeZoneSource: 'Phone' });
    expect(row({ id: 'de', phone: '+49 30 901820' }).timeZone).toBe('Europe/Berlin');
    expect(row({ id: 'au', phone: '+61 2 9374 4000' }).timeZone).toBe('Australia/Sydney');
    expect(row({ id: 'mx', phone: '+52 55 5080 2000' }).timeZone).toBe('America/Mexico_City');
    // +61 8 covers Perth and Adelaide: the prefix cannot tell.
    expect(failure({ id: 'au8', phone: '+61 8 9222 0000' }).resultCode).toBe('TimeZoneNotFound');
    expect(row({ id: 'au8', phone: '+61 8 9222 0000', tz: 'Australia/Perth' }).destinations[0]?.timeZone).toBe('Australia/Perth');
  });

  it('takes US abbreviations from the TimeZone field', () => {
    expect(row({ id: 'e', phone: '808-586-0000', tz: 'EST' })).toMatchObject({ timeZone: 'America/New_York', timeZoneSource: 'Field' });
    expect(row({ id: 'p', phone: '212-736-5000', tz: 'pst' }).timeZone).toBe('America/Los_Angeles');
  });

  it('warns when the TimeZone field names no zone and another source answered', () => {
    const r = row({ id: 't', phone: '212-736-5000', tz: 'Mars Standard', zip: '60601' });
    expect(r).toMatchObject({ timeZone: 'America/Chicago', timeZoneSource: 'Zip' });
    expect(r.warnings).toEqual(['TimeZone (tz) names no known zone; used the Zip']);
  });

  it('uses the default zone only with NoTimeZoneReject Yes', () => {
    const rec = { id: 'd', phone: '907-592-1234', state: 'TX' };
    const f = failure(rec);
    expect(f.resultCode).toBe('TimeZoneNotFound');
    expect(f.resultMessage).toBe(
      'no time zone from TimeZone, Zip, State or the primary number\'s prefix; NoTimeZoneReject "Yes" with a TimeZone sets a default',
    );
    expect(f.externalId).toBe('d');
    expect(row(rec, { noTimeZoneReject: 'Yes', defaultTimeZone: 'America/Chicago' })).toMatchObject({
      timeZone: 'America/Chicago',
      timeZoneSource: 'Default',
    });
  });
});

describe('runPipeline: expiration', () => {
  it("ends a date at the end of that day in the contact's zone", () => {
    const r = row({ id: 'x', phone: '808-586-0000', exp: '12/31/2026' });
    expect(r.expirationDate).toBe('2026-12-31');
    expect(r.expiresAt).toEqual(new Date('2027-01-01T10:00:00Z'));
  });

  it('keeps an instant in UTC', () => {
    const r = row({ id: 'x', phone: '212-736-5000', exp: '2026-12-31T12:00:00-05:00' });
    expect(r.expirationDate).toBe('2026-12-31T17:00:00Z');
  });

  it("falls back to the call's default date, then the skill's days", () => {
    expect(row({ id: 'x', phone: '212-736-5000' }, { defaultExpirationDate: '2026-09-30', defaultExpirationDays: 5 }).expirationDate).toBe(
      '2026-09-30',
    );
    expect(row({ id: 'x', phone: '212-736-5000' }, { defaultExpirationDays: 5 }).expirationDate).toBe('2026-06-06');
    expect(row({ id: 'x', phone: '212-736-5000' }).expiresAt).toBeNull();
  });

  it('answers Expired and InvalidExpirationDate', () => {
    expect(failure({ id: 'x', phone: '212-736-5000', exp: '2026-05-31' })).toMatchObject({
      resultCode: 'Expired',
      resultMessage: 'expired on 2026-05-31',
    });
    expect(failure({ id: 'x', phone: '212-736-5000', exp: '2026-06-01T11:59:59Z' }).resultCode).toBe('Expired');
    expect(failure({ id: 'x', phone: '212-736-5000' }, { defaultExpirationDate: '2026-01-01' }).resultCode).toBe('Expired');
    expect(failure({ id: 'x', phone: '212-736-5000', exp: 'someday' })).toMatchObject({
      resultCode: 'InvalidExpirationDate',
      resultMessage: expect.stringMatching(/^ExpirationDate \(exp\) must be a date/),
    });
    // Today in the contact's zone has not ended yet.
    expect(row({ id: 'x', phone: '212-736-5000', exp: '2026-06-01' }).expirationDate).toBe('2026-06-01');
  });

  it('refuses an unreadable default (the service checks it first)', () => {
    expect(() => runPipeline([], { ...OPTIONS, defaultExpirationDate: 'soon' })).toThrow(/DefaultExpirationDate/);
  });
});

describe('runPipeline: failures, in the contract order', () => {
  it('InvalidRecord for elements that are not objects', () => {
    for (const v of ['text', 5, null, true, [{ id: 'x' }]]) {
      expect(failure(v)).toMatchObject({ resultCode: 'InvalidRecord', externalId: null, record: v });
    }
  });

  it('MissingExternalId for an absent or empty ID, InvalidFieldValue for one of the wrong form', () => {
    for (const id of [undefined, null, '', '   ', '\u0000']) {
      expect(failure({ id, phone: '212-736-5000' }).resultCode).toBe('MissingExternalId');
    }
    expect(failure({ phone: '212-736-5000' }).resultMessage).toBe('ExternalID (id) has no value');
    for (const id of [true, { a: 1 }, ['A1']]) {
      expect(failure({ id, phone: '212-736-5000' })).toMatchObject({
        resultCode: 'InvalidFieldValue',
        resultMessage: expect.stringMatching(/^ExternalID \(id\) must be text or a number/),
      });
    }
    expect(failure({ id: 'x'.repeat(256), phone: '212-736-5000' }).resultMessage).toMatch(/longer than 255/);
    expect(row({ id: 'x'.repeat(255), phone: '212-736-5000' }).externalId).toHaveLength(255);
  });

  it('DuplicateExternalId for a later record with the same ID; the first one counts even when it failed', () => {
    const out = runPipeline(
      [
        { id: 'A', phone: '212-736-5000' },
        { id: 'A', phone: '808-586-0000' },
        { id: 'B', phone: 'bad' },
        { id: 'B', phone: '212-736-5000' },
        { id: 7, phone: '212-736-5000' },
        { id: '7', phone: '212-736-5000' },
      ],
      OPTIONS,
    );
    expect(out.rows.map((r) => r.index)).toEqual([0, 4]);
    expect(out.failures.map((f) => [f.index, f.resultCode])).toEqual([
      [1, 'DuplicateExternalId'],
      [2, 'InvalidPhoneNumber'],
      [3, 'DuplicateExternalId'],
      [5, 'DuplicateExternalId'],
    ]);
  });

  it('shares seen IDs across chunks of one call and numbers records from startIndex', () => {
    const seen = new Set<string>();
    const first = runPipeline([{ id: 'A', phone: '212-736-5000' }], OPTIONS, 0, seen);
    const second = runPipeline(
      [
        { id: 'B', phone: '212-736-5000' },
        { id: 'A', phone: '212-736-5000' },
      ],
      OPTIONS,
      1,
      seen,
    );
    expect(first.rows.map((r) => r.index)).toEqual([0]);
    expect(second.rows.map((r) => r.index)).toEqual([1]);
    expect(second.failures).toMatchObject([{ index: 2, resultCode: 'DuplicateExternalId', externalId: 'A' }]);
  });

  it('MissingPhoneNumber when no phone path holds a value', () => {
    const f = failure({ id: 'x', phone: '', mobile: null, others: [] });
    expect(f).toMatchObject({ resultCode: 'MissingPhoneNumber', externalId: 'x' });
    expect(f.resultMessage).toBe('no value at PhoneNumber "phone", "mobile", "others"');
  });

  it('InvalidPhoneNumber when none is valid, naming them masked', () => {
    const f = failure({ id: 'x', phone: '+1 212 736 50000', mobile: '12345', others: [true] });
    expect(f.resultCode).toBe('InvalidPhoneNumber');
    expect(f.resultMessage).toBe('no valid phone number: +1*******0000 (phone), *2345 (mobile), a boolean (others)');
  });

  it('InvalidFieldValue naming every bad field, checked after the phones', () => {
    const f = failure({ id: 'x', phone: '212-736-5000', prio: 'high', score: 'lots', first: { n: 1 } });
    expect(f.resultCode).toBe('InvalidFieldValue');
    expect(f.resultMessage).toBe(
      'FirstName must be text or a number (got an object); Priority must be a whole number from 0 to 1000000 (got text); Score must be a number (got text)',
    );
    expect(failure({ id: 'x', phone: 'bad', prio: 'high' }).resultCode).toBe('InvalidPhoneNumber');
    expect(failure({ id: 'x', phone: '907-592-1234', prio: 'high' }).resultCode).toBe('InvalidFieldValue');
    expect(failure({ id: 'x', phone: '212-736-5000', notes: 'n'.repeat(1001) }).resultMessage).toBe('Notes is longer than 1000 characters');
  });

  it('TimeZoneNotFound comes before the expiration checks', () => {
    expect(failure({ id: 'x', phone: '907-592-1234', exp: 'bad' }).resultCode).toBe('TimeZoneNotFound');
  });
});

describe('runPipeline: properties', () => {
  const phone = fc.oneof(
    fc.constantFrom('212-736-5000', '(808) 586-0000', '+44 20 7946 0958', '602.542.4331', '907-592-1234', '12345', '', null),
    fc.string({ maxLength: 16 }),
    fc.anything(),
  );
  const plausible = fc.record(
    {
      id: fc.oneof(fc.constantFrom('A', 'B', 'C', ' A ', 1, '1', '', null), fc.anything()),
      phone,
      mobile: phone,
      others: fc.oneof(phone, fc.array(phone, { maxLength: 3 })),
      zip: fc.oneof(fc.constantFrom('10001', '96813', '99501', 'x', null), fc.anything()),
      state: fc.oneof(fc.constantFrom('NY', 'TX', 'AK', null), fc.anything()),
      tz: fc.oneof(fc.constantFrom('EST', 'Mars', 'America/Phoenix', null), fc.anything()),
      exp: fc.oneof(fc.constantFrom('2026-12-31', '2020-01-01', 'bad', null), fc.anything()),
      prio: fc.oneof(fc.constantFrom(1, '2', 'x', null), fc.anything()),
      score: fc.anything(),
      confirm: fc.anything(),
      notes: fc.anything(),
      plan: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const records = fc.array(fc.oneof(plausible, fc.anything()), { maxLength: 25 });

  // No run of 7+ digits (a phone number) in a message, the field limit 1000000 aside.
  const noFullNumber = (text: string) => expect(text.replace(/\b1000000\b/g, '')).not.toMatch(/\d{7,}/);

  function check(input: unknown[], out: { rows: ProspectRow[]; failures: RecordFailure[] }, start = 0): void {
    const indexes = [...out.rows.map((r) => r.index), ...out.failures.map((f) => f.index)].sort((a, b) => a - b);
    expect(indexes).toEqual(input.map((_, i) => start + i));
    for (const list of [out.rows.map((r) => r.index), out.failures.map((f) => f.index)]) {
      expect(list).toEqual([...list].sort((a, b) => a - b));
    }
    for (const f of out.failures) {
      expect(f.record).toBe(input[f.index - start]);
      noFullNumber(f.resultMessage ?? '');
    }
    for (const r of out.rows) {
      const numbers = r.destinations.map((d) => d.phoneNumber);
      expect(numbers.length).toBeGreaterThan(0);
      expect(numbers.length).toBeLessThanOrEqual(OPTIONS.maxDestinations);
      expect(new Set(numbers).size).toBe(numbers.length);
      for (const n of numbers) expect(n).toMatch(/^\+[1-9]\d{6,14}$/);
      for (const w of r.warnings) noFullNumber(w);
    }
  }

  it('gives exactly one result per input, in order, for arbitrary arrays of arbitrary values', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 20 }), fc.nat(1000), (input, start) => {
        check(input, runPipeline(input, OPTIONS, start), start);
      }),
    );
  });

  it('gives exactly one result per input for plausible records, and never a full number in a message', () => {
    fc.assert(
      fc.property(records, (input) => {
        check(input, runPipeline(input, { ...OPTIONS, defaultExpirationDays: 30 }));
      }),
    );
  });

  it('answers the same however a call is cut into chunks', () => {
    fc.assert(
      fc.property(records, fc.integer({ min: 1, max: 7 }), (input, size) => {
        const whole = runPipeline(input, OPTIONS);
        const seen = new Set<string>();
        const rows: ProspectRow[] = [];
        const failures: RecordFailure[] = [];
        for (let start = 0; start < input.length; start += size) {
          const part = runPipeline(input.slice(start, start + size), OPTIONS, start, seen);
          rows.push(...part.rows);
          failures.push(...part.failures);
        }
        expect(rows).toEqual(whole.rows);
        expect(failures).toEqual(whole.failures);
      }),
    );
  });

  it('loads at most one record per ExternalID', () => {
    fc.assert(
      fc.property(records, (input) => {
        const ids = runPipeline(input, OPTIONS).rows.map((r) => r.externalId);
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});

describe('runPipeline: what the calling rules need (contract section 9)', () => {
  const CONSENT_MAP = mapping({
    ExternalID: 'id',
    PhoneNumber: [
      { Path: 'cell', Type: 'Mobile', ConsentPath: 'consent.cell' },
      { Path: 'home', Type: 'Landline' },
    ],
    State: 'state',
    Zip: 'zip',
    Compliance: 'compliance',
  });
  const consentRow = (record: unknown) => row(record, { mapping: CONSENT_MAP });

  it('reads consent per number from ConsentPath: a true/yes value is consent, anything else is none', () => {
    for (const [value, consent] of [
      [true, true],
      ['yes', true],
      ['Y', true],
      [false, false],
      ['no', false],
      ['maybe', false],
      [undefined, false],
    ] as const) {
      const r = consentRow({ id: 'c', cell: '305-555-0100', home: '212-736-5000', consent: { cell: value } });
      expect(
        r.destinations.map((d) => d.consent),
        String(value),
      ).toEqual([consent, false]);
    }
  });

  it("keeps each number's area-code state and the contact's state (State, else Zip) and Compliance flag", () => {
    const r = consentRow({ id: 'c', cell: '305-555-0100', home: '212-736-5000', zip: '70112', compliance: 'yes' });
    expect(r.destinations.map((d) => d.state)).toEqual(['FL', 'NY']);
    expect(r).toMatchObject({ state: 'LA', dialByHand: true });
    expect(consentRow({ id: 'c', cell: '305-555-0100', state: 'Texas', zip: '70112' })).toMatchObject({ state: 'TX', dialByHand: false });
    expect(consentRow({ id: 'c', cell: '+44 20 7946 0958' }).destinations[0]?.state).toBeNull();
  });

  it('refuses an unknown key beside Path, Type and ConsentPath, and a bad ConsentPath', () => {
    expect(validateMapping({ ExternalID: 'id', PhoneNumber: [{ Path: 'p', Consent: 'c' }] }, 10)).toMatchObject({
      ok: false,
      code: 'InvalidFieldName',
    });
    expect(validateMapping({ ExternalID: 'id', PhoneNumber: [{ Path: 'p', ConsentPath: '' }] }, 10)).toMatchObject({
      ok: false,
      code: 'InvalidFieldName',
    });
  });
});
