/**
 * The built-in demo CRM: an endless, deterministic stream of realistic US leads. Lead `n` of a
 * seed is always the same record, so the cursor is simply the next sequence number. Numbers are
 * the fictional 555-01XX lines of real area codes across every US zone (Hawaii, Alaska, Arizona
 * and Puerto Rico included), written the messy ways CRMs hold them; a share of rows is bad on
 * purpose so every failure code of the pipeline shows up in a demo.
 */

import { mulberry32 } from './mulberry32';

interface Place {
  city: string;
  state: string;
  zips: string[];
  areaCodes: string[];
}

const PLACES: Place[] = [
  { city: 'New York', state: 'NY', zips: ['10001', '10027', '11201'], areaCodes: ['212', '646', '718', '917'] },
  { city: 'Boston', state: 'MA', zips: ['02108', '02139'], areaCodes: ['617', '857'] },
  { city: 'Miami', state: 'FL', zips: ['33101', '33130'], areaCodes: ['305', '786'] },
  { city: 'Atlanta', state: 'GA', zips: ['30301', '30309'], areaCodes: ['404', '678'] },
  { city: 'Indianapolis', state: 'IN', zips: ['46204'], areaCodes: ['317'] },
  { city: 'Chicago', state: 'IL', zips: ['60601', '60614'], areaCodes: ['312', '773'] },
  { city: 'Dallas', state: 'TX', zips: ['75201', '75204'], areaCodes: ['214', '469'] },
  { city: 'Houston', state: 'TX', zips: ['77002'], areaCodes: ['713', '832'] },
  { city: 'Minneapolis', state: 'MN', zips: ['55401'], areaCodes: ['612'] },
  { city: 'Denver', state: 'CO', zips: ['80202', '80205'], areaCodes: ['303', '720'] },
  { city: 'Boise', state: 'ID', zips: ['83702'], areaCodes: ['208'] },
  { city: 'Phoenix', state: 'AZ', zips: ['85004', '85016'], areaCodes: ['602', '480'] },
  { city: 'Tucson', state: 'AZ', zips: ['85701'], areaCodes: ['520'] },
  { city: 'Los Angeles', state: 'CA', zips: ['90012', '90028'], areaCodes: ['213', '310', '323'] },
  { city: 'San Francisco', state: 'CA', zips: ['94103'], areaCodes: ['415'] },
  { city: 'Seattle', state: 'WA', zips: ['98101'], areaCodes: ['206'] },
  { city: 'Portland', state: 'OR', zips: ['97201'], areaCodes: ['503'] },
  { city: 'Anchorage', state: 'AK', zips: ['99501', '99508'], areaCodes: ['907'] },
  { city: 'Honolulu', state: 'HI', zips: ['96813', '96815'], areaCodes: ['808'] },
  { city: 'San Juan', state: 'PR', zips: ['00901', '00907'], areaCodes: ['787', '939'] },
];

const FIRST_NAMES = [
  'Maria',
  'James',
  'Aiyana',
  'Wei',
  'Olivia',
  'Mateo',
  'Noah',
  'Leilani',
  'Fatima',
  'Liam',
  'Sofia',
  'Ethan',
  'Keanu',
  'Priya',
  'Lucas',
  'Amara',
  'Diego',
  'Hannah',
  'Kai',
  'Yusuf',
  'Grace',
  'Elena',
  'Malik',
  'Nora',
  'Santiago',
  'Chloe',
  'Arjun',
  'Isabella',
  'Tatiana',
  'Owen',
];
const LAST_NAMES = [
  'Garcia',
  'Smith',
  'Nguyen',
  'Johnson',
  'Rivera',
  'Kahale',
  'Chen',
  'Williams',
  'Patel',
  'Brown',
  'Martinez',
  'Okafor',
  'Davis',
  'Lopez',
  'Kim',
  'Wilson',
  'Anderson',
  'Santos',
  'Miller',
  'Begay',
  'Thompson',
  'Hernandez',
  'Moore',
  'Cruz',
  'Jackson',
  'Lee',
  'Walker',
  'Young',
  'Ortiz',
  'Allen',
];
const STREETS = ['Oak St', 'Maple Ave', 'Kalakaua Ave', 'Main St', 'Calle Luna', 'Pine Rd', 'Elm Ct', 'Sunset Blvd'];
const PLANS = ['Bronze', 'Silver', 'Gold', 'Platinum'];
const TYPES = ['Mobile', 'Landline'];

export type DemoLead = Record<string, unknown> | string;

export interface DemoPage {
  records: DemoLead[];
  nextCursor: string;
}

/** One lead of the endless stream: pure in (seed, seq, badRowRate). */
export function demoLead(seed: number, seq: number, badRowRate = 0.1): DemoLead {
  const rnd = prng(seed, seq);
  const place = pick(rnd, PLACES);
  const phoneCount = 1 + Math.floor(rnd() * 3);
  const phones: string[] = [];
  for (let i = 0; i < phoneCount; i++) phones.push(messyPhone(rnd, pick(rnd, place.areaCodes)));
  const lead: Record<string, unknown> = {
    id: `DEMO-${seed}-${String(seq).padStart(7, '0')}`,
    first_name: pick(rnd, FIRST_NAMES),
    last_name: pick(rnd, LAST_NAMES),
    phones,
    phone_type: pick(rnd, TYPES),
    address: {
      street: `${1 + Math.floor(rnd() * 9800)} ${pick(rnd, STREETS)}`,
      city: place.city,
      state: place.state,
      zip: zipOf(rnd, place),
    },
    priority: Math.floor(rnd() * 10),
    score: Math.round(rnd() * 1000) / 1000,
    plan: pick(rnd, PLANS),
  };
  if (rnd() < 0.3) lead.expires = `${2030 + Math.floor(rnd() * 5)}-12-31`;
  if (rnd() < badRowRate) return spoil(rnd, lead);
  return lead;
}

/** `limit` leads after `cursor` (a sequence number; null is the start). */
export function demoPage(seed: number, cursor: string | null, limit: number, badRowRate = 0.1): DemoPage {
  const start = cursor === null || !/^\d+$/.test(cursor) ? 0 : Number(cursor);
  const records: DemoLead[] = [];
  for (let seq = start; seq < start + limit; seq++) records.push(demoLead(seed, seq, badRowRate));
  return { records, nextCursor: String(start + limit) };
}

/** The source map that reads demo leads, as `PUT /v1/source-maps/{SourceName}` takes it. */
export const DEMO_SOURCE_MAP = {
  ExternalID: 'id',
  FirstName: 'first_name',
  LastName: 'last_name',
  PhoneNumber: 'phones',
  Address: 'address.street',
  City: 'address.city',
  State: 'address.state',
  Zip: 'address.zip',
  Priority: 'priority',
  Score: 'score',
  ExpirationDate: 'expires',
  'Custom.Plan': 'plan',
} as const;

function spoil(rnd: () => number, lead: Record<string, unknown>): DemoLead {
  switch (Math.floor(rnd() * 7)) {
    case 0: {
      const { id: _dropped, ...rest } = lead;
      return rest;
    }
    case 1:
      return { ...lead, id: '' };
    case 2:
      return { ...lead, phones: [pick(rnd, ['12345', '555-0100', '(000) 000-0000', 'call me'])] };
    case 3:
      return { ...lead, phones: [] };
    case 4:
      return { ...lead, priority: pick(rnd, ['high', 'urgent!', 'n/a']) };
    case 5:
      return { ...lead, expires: pick(rnd, ['2020-01-01', 'not a date', '31/31/2031']) };
    default:
      return pick(rnd, ['<html>502 Bad Gateway</html>', 'null-ish']);
  }
}

function messyPhone(rnd: () => number, area: string): string {
  const line = `01${String(Math.floor(rnd() * 100)).padStart(2, '0')}`;
  switch (Math.floor(rnd() * 8)) {
    case 0:
      return `(${area}) 555-${line}`;
    case 1:
      return `${area}-555-${line}`;
    case 2:
      return `${area}.555.${line}`;
    case 3:
      return `+1 ${area} 555 ${line}`;
    case 4:
      return `1-${area}-555-${line}`;
    case 5:
      return `${area}555${line}`;
    case 6:
      return `+1${area}555${line}`;
    default:
      return ` (${area})555 ${line} `;
  }
}

function zipOf(rnd: () => number, place: Place): string | null {
  const roll = rnd();
  if (roll < 0.1) return null; // the state or the number's prefix then tells the zone
  const zip = pick(rnd, place.zips);
  return roll < 0.25 ? `${zip}-${String(Math.floor(rnd() * 10000)).padStart(4, '0')}` : zip;
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

/** mulberry32 seeded from (seed, seq), so any lead can be made without the ones before it. */
function prng(seed: number, seq: number): () => number {
  return mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seq + 0x632be5ab, 0xc2b2ae35));
}
