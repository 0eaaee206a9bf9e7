import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHONE_TYPES } from '../../src/domain/prospect';
import { SYSTEM_FIELDS } from '../../src/domain/field-catalog';
import { mappingsEqual, phonePaths, validateMapping, validateSourceName, type Mapping } from '../../src/domain/source-map';

function ok(input: unknown, max = 10): Mapping {
  const v = validateMapping(input, max);
  if (!v.ok) throw new Error(`${v.code}: ${v.message}`);
  return v.mapping;
}

function refusal(input: unknown, max = 10): { code: string; message: string } {
  const v = validateMapping(input, max);
  if (v.ok) throw new Error('expected a refusal');
  return v;
}

describe('validateSourceName', () => {
  it('takes 1..100 characters of [A-Za-z0-9_.-] starting with a letter or digit', () => {
    for (const n of ['crm', 'CRM_2', 'a.b-c', '9lives', 'x'.repeat(100)]) expect(validateSourceName(n)).toBe(true);
    for (const n of ['', '-crm', '.crm', '_crm', 'a b', 'crm/1', 'x'.repeat(101), 'ümlaut']) {
      expect(validateSourceName(n)).toBe(false);
    }
  });
});

describe('validateMapping', () => {
  it('accepts a plain map, phone lists and typed phone entries', () => {
    const m = ok({
      ExternalID: 'id',
      PhoneNumber: ['phone', { Path: 'mobile', Type: 'Mobile' }, { Path: 'work' }],
      FirstName: 'name.first',
      'Custom.Plan': 'plan',
    });
    expect(m.FirstName).toBe('name.first');
    expect(phonePaths(m)).toEqual([{ Path: 'phone' }, { Path: 'mobile', Type: 'Mobile' }, { Path: 'work' }]);
    expect(phonePaths(ok({ ExternalID: 'id', PhoneNumber: 'p' }))).toEqual([{ Path: 'p' }]);
  });

  it('keeps the form the caller wrote, normalizing only the Type spelling', () => {
    const m = ok({ PhoneNumber: ['a', { Path: 'b', Type: 'mobile' }], ExternalID: 'id' });
    expect(m).toEqual({ PhoneNumber: ['a', { Path: 'b', Type: 'Mobile' }], ExternalID: 'id' });
    expect(Object.keys(m)).toEqual(['PhoneNumber', 'ExternalID']);
  });

  it('answers InvalidRootNode for anything but an object', () => {
    for (const input of [null, undefined, [], 'map', 5, true]) expect(refusal(input).code).toBe('InvalidRootNode');
  });

  it('answers InvalidFieldName naming an unknown field, with a suggestion', () => {
    const r = refusal({ ExternalID: 'id', PhoneNumber: 'p', externalId: 'x' });
    expect(r.code).toBe('InvalidFieldName');
    expect(r.message).toContain('"externalId"');
    expect(r.message).toContain('ExternalID');
    expect(refusal({ ExternalID: 'id', PhoneNumber: 'p', 'Custom.1x': 'x' }).message).toMatch(/Custom\.<Name>/);
    expect(refusal(JSON.parse('{"ExternalID":"id","PhoneNumber":"p","__proto__":"x"}')).code).toBe('InvalidFieldName');
  });

  it('answers InvalidFieldName naming the field of a bad path', () => {
    const r = refusal({ ExternalID: 'id', PhoneNumber: 'p', Zip: 'a..b' });
    expect(r.code).toBe('InvalidFieldName');
    expect(r.message).toMatch(/^Zip: .*empty segment.*"a\.\.b"/);
    expect(refusal({ ExternalID: 'id', PhoneNumber: 'p', Zip: 5 }).message).toMatch(/^Zip: a path must be text/);
    expect(refusal({ ExternalID: 'a.__proto__', PhoneNumber: 'p' }).message).toMatch(/^ExternalID:.*__proto__/);
    expect(refusal({ ExternalID: 'id', PhoneNumber: ['ok', 'x..y'] }).message).toMatch(/^PhoneNumber\[1\]/);
    expect(refusal({ ExternalID: 'id', PhoneNumber: [{ Path: 'a', Kind: 'Mobile' }] }).message).toMatch(
      /PhoneNumber\[0\]: unknown key "Kind"/,
    );
    expect(refusal({ ExternalID: 'id', PhoneNumber: [{ Path: 'a', Type: 'Pager' }] }).message).toMatch(
      /PhoneNumber\[0\]\.Type must be one of/,
    );
    expect(refusal({ ExternalID: 'id', PhoneNumber: [{ Type: 'Mobile' }] }).message).toMatch(/PhoneNumber\[0\]\.Path/);
    expect(refusal({ ExternalID: 'id', PhoneNumber: { Path: 'a' } }).code).toBe('InvalidFieldName');
    expect(refusal({ ExternalID: 'id', PhoneNumber: [7] }).code).toBe('InvalidFieldName');
  });

  it('answers MissingRequiredField without ExternalID or PhoneNumber', () => {
    expect(refusal({ PhoneNumber: 'p' })).toEqual({ ok: false, code: 'MissingRequiredField', message: 'Mapping has no ExternalID' });
    expect(refusal({ ExternalID: 'id' }).message).toBe('Mapping has no PhoneNumber');
    expect(refusal({ ExternalID: 'id', PhoneNumber: [] }).code).toBe('MissingRequiredField');
    expect(refusal({}).code).toBe('MissingRequiredField');
  });

  it('answers ExceededMaxDestinations past the limit', () => {
    const paths = Array.from({ length: 4 }, (_, i) => `p${i}`);
    expect(ok({ ExternalID: 'id', PhoneNumber: paths }, 4)).toBeTruthy();
    const r = refusal({ ExternalID: 'id', PhoneNumber: [...paths, 'p4'] }, 4);
    expect(r.code).toBe('ExceededMaxDestinations');
    expect(r.message).toMatch(/5 paths; at most 4/);
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), fc.integer({ min: 1, max: 20 }), (input, max) => {
        validateMapping(input, max);
      }),
    );
  });
});

const pathArb = fc
  .array(fc.stringMatching(/^[A-Za-z0-9 _-]{1,8}$/), { minLength: 1, maxLength: 3 })
  .map((s) => s.join('.'))
  .filter((p) => !/(^|\.)(constructor|prototype)(\.|$)/.test(p));
const phoneEntry = fc.oneof(pathArb, fc.record({ Path: pathArb }), fc.record({ Path: pathArb, Type: fc.constantFrom(...PHONE_TYPES) }));
const mappingArb = fc
  .record({
    ExternalID: pathArb,
    PhoneNumber: fc.oneof(pathArb, fc.array(phoneEntry, { minLength: 1, maxLength: 5 })),
    others: fc.dictionary(
      fc.oneof(
        fc.constantFrom(...SYSTEM_FIELDS.filter((f) => f !== 'ExternalID' && f !== 'PhoneNumber')),
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,10}$/).map((n) => `Custom.${n}`),
      ),
      pathArb,
      { maxKeys: 6 },
    ),
  })
  .map(({ ExternalID, PhoneNumber, others }) => ({ ...others, ExternalID, PhoneNumber }));

describe('mapping properties', () => {
  it('validation is idempotent: a validated map validates to itself', () => {
    fc.assert(
      fc.property(mappingArb, (input) => {
        const once = ok(input, 5);
        const twice = ok(once, 5);
        expect(twice).toEqual(once);
        expect(mappingsEqual(once, twice)).toBe(true);
      }),
    );
  });

  it('mappingsEqual ignores key order and the phone form, not paths, types or phone order', () => {
    const a = ok({ ExternalID: 'id', PhoneNumber: 'p', Zip: 'z' });
    expect(mappingsEqual(a, ok({ Zip: 'z', PhoneNumber: ['p'], ExternalID: 'id' }))).toBe(true);
    expect(mappingsEqual(a, ok({ Zip: 'z', PhoneNumber: [{ Path: 'p' }], ExternalID: 'id' }))).toBe(true);
    expect(mappingsEqual(a, ok({ ExternalID: 'id', PhoneNumber: 'p', Zip: 'zip' }))).toBe(false);
    expect(mappingsEqual(a, ok({ ExternalID: 'id', PhoneNumber: 'p' }))).toBe(false);
    expect(mappingsEqual(a, ok({ ExternalID: 'id', PhoneNumber: [{ Path: 'p', Type: 'Mobile' }], Zip: 'z' }))).toBe(false);
    const two = ok({ ExternalID: 'id', PhoneNumber: ['a', 'b'] });
    expect(mappingsEqual(two, ok({ ExternalID: 'id', PhoneNumber: ['b', 'a'] }))).toBe(false);
  });

  it('mappingsEqual holds for any reordering of the keys', () => {
    fc.assert(
      fc.property(mappingArb, fc.integer(), (input, seed) => {
        const m = ok(input, 5);
        const keys = Object.keys(m);
        const shuffled = keys.map((k, i) => [k, (i * 7919 + seed) % 1000] as const).sort((x, y) => x[1] - y[1]);
        const reordered = Object.fromEntries(shuffled.map(([k]) => [k, m[k]]));
        expect(mappingsEqual(m, ok(reordered, 5))).toBe(true);
      }),
    );
  });
});
