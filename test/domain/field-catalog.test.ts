import { describe, expect, it } from 'vitest';
import { fieldKind, isCustomField, isSystemField, suggestField, SYSTEM_FIELDS } from '../../src/domain/field-catalog';

describe('field catalog', () => {
  it('knows every system field of the contract', () => {
    expect(SYSTEM_FIELDS).toHaveLength(21);
    for (const f of ['ExternalID', 'PhoneNumber', 'CallRequestStaleMinutes', 'CustomerField2']) {
      expect(isSystemField(f)).toBe(true);
    }
  });

  it('takes Custom.<Name> with a letter then up to 63 letters, digits or underscores', () => {
    expect(isCustomField('Custom.Plan')).toBe(true);
    expect(isCustomField('Custom.a_1')).toBe(true);
    expect(isCustomField(`Custom.A${'b'.repeat(63)}`)).toBe(true);
    expect(isCustomField(`Custom.A${'b'.repeat(64)}`)).toBe(false);
    expect(isCustomField('Custom.1abc')).toBe(false);
    expect(isCustomField('Custom.')).toBe(false);
    expect(isCustomField('Custom.a-b')).toBe(false);
    expect(isCustomField('custom.Plan')).toBe(false);
    expect(isSystemField('Custom.Plan.Extra')).toBe(false);
  });

  it('refuses names that are only near a system field, and suggests the right one', () => {
    expect(isSystemField('externalId')).toBe(false);
    expect(isSystemField('__proto__')).toBe(false);
    expect(isSystemField('toString')).toBe(false);
    expect(suggestField('externalId')).toBe('ExternalID');
    expect(suggestField('phone_number')).toBe('PhoneNumber');
    expect(suggestField('Nonsense')).toBeUndefined();
  });

  it('says how each field is read', () => {
    expect(fieldKind('FirstName')).toBe('Name');
    expect(fieldKind('Priority')).toBe('Integer');
    expect(fieldKind('Score')).toBe('Number');
    expect(fieldKind('ConfirmationRequired')).toBe('Flag');
    expect(fieldKind('Compliance')).toBe('Flag');
    expect(fieldKind('CallRequestDateTime')).toBe('Instant');
    expect(fieldKind('CallRequestStaleMinutes')).toBe('Minutes');
    expect(fieldKind('Notes')).toBe('Text');
    expect(fieldKind('Custom.Plan')).toBe('Custom');
  });
});
