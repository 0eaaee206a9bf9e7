/**
 * A realistic CRM export for CREATEPROSPECTS: two numbers per contact written the ways CRMs write
 * them, names, an address, custom fields, some own expiration dates and priorities, and about 10%
 * of rows that fail (one per failure kind, spread through the batch). Deterministic per seed, so
 * every measurement of a run sees the same rows.
 */
import { mulberry32 } from '../src/connectors/mulberry32';
import type { Mapping } from '../src/domain/source-map';

export const BENCH_MAPPING: Mapping = {
  ExternalID: 'id',
  FirstName: 'first',
  LastName: 'last',
  PhoneNumber: ['phone', { Path: 'mobile', Type: 'Mobile' }],
  Address: 'address.street',
  City: 'address.city',
  State: 'address.state',
  Zip: 'address.zip',
  ExpirationDate: 'expires',
  Priority: 'priority',
  Score: 'score',
  'Custom.Plan': 'plan',
  'Custom.Segment': 'segment',
} as unknown as Mapping;

/** Area code, ZIP, city and state that agree with each other. */
const PLACES = [
  ['212', '10001', 'New York', 'NY'],
  ['312', '60601', 'Chicago', 'IL'],
  ['415', '94105', 'San Francisco', 'CA'],
  ['713', '77002', 'Houston', 'TX'],
  ['305', '33101', 'Miami', 'FL'],
  ['206', '98101', 'Seattle', 'WA'],
  ['617', '02108', 'Boston', 'MA'],
  ['303', '80202', 'Denver', 'CO'],
  ['602', '85004', 'Phoenix', 'AZ'],
  ['808', '96813', 'Honolulu', 'HI'],
  ['907', '99501', 'Anchorage', 'AK'],
  ['404', '30303', 'Atlanta', 'GA'],
] as const;
const FIRST = ['Ann', 'Bob', 'Carmen', 'Dinh', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'José', 'Kai', 'Lena'];
const LAST = ['Lee', 'Garcia', 'Smith', 'Nguyen', 'Okafor', 'Müller', 'Rossi', 'Kowalski', "O'Brien", 'Tanaka'];
const PLANS = ['gold', 'silver', 'bronze', 'trial'];

/** Which rows fail, and how: 10 of every 100 rows. */
const FAILURES: Record<number, (r: Record<string, unknown>, n: number) => unknown> = {
  7: (r) => ({ ...r, phone: '12345', mobile: '555-01' }), // InvalidPhoneNumber
  17: (r) => ({ ...r, id: '' }), // MissingExternalId
  27: (r, n) => ({ ...r, id: `CRM-${n - 20}` }), // DuplicateExternalId
  37: (r) => ({ ...r, phone: null, mobile: undefined }), // MissingPhoneNumber
  47: (r) => ({ ...r, expires: 'next tuesday' }), // InvalidExpirationDate
  57: (r) => ({ ...r, expires: '2020-06-30' }), // Expired
  67: (r) => ({ ...r, priority: 'high' }), // InvalidFieldValue
  77: (r) => ({ ...r, address: { street: '1 Main St' }, phone: '(800) 555-0199', mobile: null }), // TimeZoneNotFound
  87: () => 'not a record', // InvalidRecord
  97: (r) => ({ ...r, id: { nested: true } }), // InvalidFieldValue (ExternalID not text)
};

/** A small, fast, seedable PRNG, the demo CRM's. */
const random = mulberry32;

function localNumber(rand: () => number): string {
  // Exchange 200-999 (not N11, not 555) and any line: valid for the US metadata.
  let exchange = 200 + Math.floor(rand() * 800);
  if (exchange % 100 === 11 || exchange === 555) exchange += 1;
  return `${exchange}${String(Math.floor(rand() * 10_000)).padStart(4, '0')}`;
}

/** The ways CRMs write one number: "(212) 736-5000", "212-736-5000", "+1 212 736 5000", digits. */
function written(area: string, local: string, style: number): string | number {
  const a = local.slice(0, 3);
  const b = local.slice(3);
  switch (style) {
    case 0:
      return `(${area}) ${a}-${b}`;
    case 1:
      return `${area}-${a}-${b}`;
    case 2:
      return `+1 ${area} ${a} ${b}`;
    case 3:
      return Number(`1${area}${local}`);
    default:
      return `${area}${local}`;
  }
}

/** `count` records, ExternalIDs `CRM-<n>` from `firstId`. */
export function benchRecords(count: number, seed = 1, firstId = 0): unknown[] {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const n = firstId + i;
    const [area, zip, city, state] = pick(PLACES);
    const [mobileArea] = pick(PLACES);
    const record: Record<string, unknown> = {
      id: `CRM-${n}`,
      first: pick(FIRST),
      last: pick(LAST),
      phone: written(area, localNumber(rand), Math.floor(rand() * 5)),
      mobile: written(mobileArea, localNumber(rand), Math.floor(rand() * 5)),
      address: { street: `${1 + Math.floor(rand() * 9000)} ${pick(LAST)} Ave`, city, state, zip },
      priority: Math.floor(rand() * 10),
      score: Math.round(rand() * 1000) / 10,
      plan: pick(PLANS),
      segment: `S${Math.floor(rand() * 40)}`,
      updated: '2026-02-27T10:15:00Z',
    };
    if (n % 5 === 0) record.expires = '2026-12-31';
    // Zones come mostly from the ZIP; some contacts have only a state, some only their numbers.
    if (n % 10 === 3) delete (record.address as Record<string, unknown>).zip;
    if (n % 10 === 9) record.address = { street: '1 Main St' };
    const fail = FAILURES[n % 100];
    out[i] = fail ? fail(record, n) : record;
  }
  return out;
}

/** Share of benchRecords that fail, for the printed description. */
export const FAILING_SHARE = Object.keys(FAILURES).length / 100;
