/**
 * Source rows for import tests and the import benchmark: row i is always the same, and exactly
 * the rows with i % 10 === 7 are bad, in five kinds taking turns, so a test knows which rows
 * must fail and with which ResultCode. `first` (F<i>) is unique per row: it names a row even
 * where the ExternalID is the thing that is wrong.
 */
export const IMPORT_MAPPING = {
  ExternalID: 'id',
  FirstName: 'first',
  LastName: 'last',
  PhoneNumber: 'phone',
  Zip: 'zip',
  Priority: 'priority',
};

export const IMPORT_COLUMNS = ['id', 'first', 'last', 'phone', 'zip', 'priority'] as const;
export type ImportRow = Record<(typeof IMPORT_COLUMNS)[number], string>;

const ZIPS = ['10001', '60601', '80202', '94103', '33101', '98101'];

export function isBadRow(i: number): boolean {
  return i % 10 === 7;
}

/** The ResultCode row i must get (on a first import into an empty skill). */
export function expectedCode(i: number): string {
  if (!isBadRow(i)) return 'Created';
  return ['InvalidPhoneNumber', 'MissingPhoneNumber', 'MissingExternalId', 'DuplicateExternalId', 'InvalidFieldValue'][
    Math.floor(i / 10) % 5
  ]!;
}

export function importRow(i: number): ImportRow {
  const row: ImportRow = {
    id: `EXT-${i}`,
    first: `F${i}`,
    // Commas and quotes make the CSV writer quote fields, on the way in and in --failed-out.
    last: i % 13 === 0 ? 'Smith, "Jr."' : 'Smith',
    phone: `(${212 + (i % 7) * 100}) 555-${String(i % 10_000).padStart(4, '0')}`,
    zip: ZIPS[i % ZIPS.length]!,
    priority: String(i % 10),
  };
  if (!isBadRow(i)) return row;
  switch (Math.floor(i / 10) % 5) {
    case 0:
      return { ...row, phone: '12345' };
    case 1:
      return { ...row, phone: '' };
    case 2:
      return { ...row, id: '' };
    case 3:
      // An earlier good row, in an earlier batch of 5,000 where there is one.
      return { ...row, id: `EXT-${i >= 5_003 ? i - 5_003 : i % 3}` };
    default:
      return { ...row, priority: 'high' };
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvHeader(): string {
  return `${IMPORT_COLUMNS.join(',')}\n`;
}

export function csvRow(i: number): string {
  const row = importRow(i);
  return `${IMPORT_COLUMNS.map((c) => csvField(row[c])).join(',')}\n`;
}

export function ndjsonRow(i: number): string {
  return `${JSON.stringify(importRow(i))}\n`;
}
