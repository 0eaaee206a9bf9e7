/** The system fields a source map may fill, as script authors know them from CREATESOURCEMAP. */
export const SYSTEM_FIELDS = [
  'ExternalID',
  'FirstName',
  'LastName',
  'PhoneNumber',
  'CallerID',
  'Address',
  'City',
  'State',
  'Zip',
  'TimeZone',
  'ExpirationDate',
  'Priority',
  'Score',
  'Compliance',
  'ConfirmationRequired',
  'CallRequestDateTime',
  'CallRequestStaleMinutes',
  'Agent',
  'Notes',
  'CustomerField1',
  'CustomerField2',
] as const;

export type StandardField = (typeof SYSTEM_FIELDS)[number];
export type CustomField = `Custom.${string}`;
export type SystemField = StandardField | CustomField;

export const REQUIRED_FIELDS = ['ExternalID', 'PhoneNumber'] as const satisfies readonly StandardField[];

const CUSTOM_FIELD = /^Custom\.[A-Za-z][A-Za-z0-9_]{0,63}$/;
const standard = new Set<string>(SYSTEM_FIELDS);
const byLowerCase = new Map(SYSTEM_FIELDS.map((f) => [f.toLowerCase(), f]));

export function isCustomField(name: string): name is CustomField {
  return CUSTOM_FIELD.test(name);
}

export function isSystemField(name: string): name is SystemField {
  return standard.has(name) || CUSTOM_FIELD.test(name);
}

/** The system field a mistyped name probably meant (`externalId` -> `ExternalID`), for messages. */
export function suggestField(name: string): StandardField | undefined {
  return byLowerCase.get(name.toLowerCase().replace(/[\s_-]/g, ''));
}

/**
 * How a field's value is read. Every field not named here is free text of at most 1000
 * characters. Compliance is a yes/no flag like ConfirmationRequired (the dialer's "compliance
 * record": dial by hand only).
 */
export type FieldKind = 'Name' | 'Text' | 'Integer' | 'Number' | 'Flag' | 'Instant' | 'Minutes' | 'Custom';

const kinds: Partial<Record<StandardField, FieldKind>> = {
  FirstName: 'Name',
  LastName: 'Name',
  Priority: 'Integer',
  Score: 'Number',
  Compliance: 'Flag',
  ConfirmationRequired: 'Flag',
  CallRequestDateTime: 'Instant',
  CallRequestStaleMinutes: 'Minutes',
};

export function fieldKind(field: SystemField): FieldKind {
  return kinds[field as StandardField] ?? (isCustomField(field) ? 'Custom' : 'Text');
}
