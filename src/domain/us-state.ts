import areaCodes from './data/area-code-states.json';
import zipStates from './data/zip-states.json';
import { zip5 } from './zip-zone';

/**
 * Which US state a number or a contact belongs to, for the calling rules. A number's state is
 * its NANP area code's (Google libphonenumber's geocoding, see data/README.md); a contact's is
 * its State field (code or full name), else its ZIP's.
 */
const BY_AREA_CODE = new Map(Object.entries(areaCodes.areaCodes as Record<string, string>));
const BY_ZIP3 = new Map(Object.entries(zipStates.prefixes as Record<string, string>));
const BY_ZIP5 = new Map(Object.entries(zipStates.exceptions as Record<string, string>));

const NAMES: Record<string, string> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  'washington dc': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  'puerto rico': 'PR',
  guam: 'GU',
  'virgin islands': 'VI',
  'us virgin islands': 'VI',
  'american samoa': 'AS',
  'northern mariana islands': 'MP',
};
const CODES = new Set(Object.values(NAMES));

/** The USPS code of a state given by code or full name; null when the value names none. */
export function stateFromValue(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const key = value.toLowerCase().replace(/[.,]/g, '').replace(/\s+/g, ' ').trim();
  if (key.length === 2) {
    const code = key.toUpperCase();
    return CODES.has(code) ? code : null;
  }
  return NAMES[key] ?? null;
}

/** The state of a US ZIP or ZIP+4; null when the value is no ZIP or an unknown one. */
export function stateFromZip(value: unknown): string | null {
  const zip = zip5(value);
  if (zip === null) return null;
  return BY_ZIP5.get(zip) ?? BY_ZIP3.get(zip.slice(0, 3)) ?? null;
}

/** The state of a +1 number's area code; null outside the US states (Canada, the Caribbean). */
export function stateFromNumber(e164: string): string | null {
  if (!e164.startsWith('+1') || e164.length !== 12) return null;
  return BY_AREA_CODE.get(e164.slice(2, 5)) ?? null;
}

/** A contact's state: its State field, else its ZIP's. */
export function contactState(state: unknown, zip: unknown): string | null {
  return stateFromValue(state) ?? stateFromZip(zip);
}
