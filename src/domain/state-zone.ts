/**
 * US states (and DC and the territories) that lie wholly in one time zone. Split states are
 * absent on purpose (FL, TN, KY, IN, MI, ND, SD, NE, KS, TX, ID, OR): a State alone cannot place
 * a contact there, so resolution goes on to the phone prefix or the default.
 *
 * Two states are taken as one zone although they are not quite:
 * - AZ is America/Phoenix (no daylight saving). The Navajo Nation in the north-east keeps
 *   daylight saving (America/Denver); it is a small share of Arizona's contacts, and their ZIP
 *   answers before the State does.
 * - AK is America/Anchorage. The Aleutians west of 169.5 W keep America/Adak, an hour behind;
 *   again few contacts, and their ZIP (99546, 99547) answers first.
 * NV is taken as Pacific: only West Wendover keeps Mountain time.
 */
const STATES: ReadonlyArray<readonly [code: string, name: string, zone: string]> = [
  ['AL', 'Alabama', 'America/Chicago'],
  ['AK', 'Alaska', 'America/Anchorage'],
  ['AZ', 'Arizona', 'America/Phoenix'],
  ['AR', 'Arkansas', 'America/Chicago'],
  ['CA', 'California', 'America/Los_Angeles'],
  ['CO', 'Colorado', 'America/Denver'],
  ['CT', 'Connecticut', 'America/New_York'],
  ['DE', 'Delaware', 'America/New_York'],
  ['DC', 'District of Columbia', 'America/New_York'],
  ['GA', 'Georgia', 'America/New_York'],
  ['HI', 'Hawaii', 'Pacific/Honolulu'],
  ['IL', 'Illinois', 'America/Chicago'],
  ['IA', 'Iowa', 'America/Chicago'],
  ['LA', 'Louisiana', 'America/Chicago'],
  ['ME', 'Maine', 'America/New_York'],
  ['MD', 'Maryland', 'America/New_York'],
  ['MA', 'Massachusetts', 'America/New_York'],
  ['MN', 'Minnesota', 'America/Chicago'],
  ['MS', 'Mississippi', 'America/Chicago'],
  ['MO', 'Missouri', 'America/Chicago'],
  ['MT', 'Montana', 'America/Denver'],
  ['NV', 'Nevada', 'America/Los_Angeles'],
  ['NH', 'New Hampshire', 'America/New_York'],
  ['NJ', 'New Jersey', 'America/New_York'],
  ['NM', 'New Mexico', 'America/Denver'],
  ['NY', 'New York', 'America/New_York'],
  ['NC', 'North Carolina', 'America/New_York'],
  ['OH', 'Ohio', 'America/New_York'],
  ['OK', 'Oklahoma', 'America/Chicago'],
  ['PA', 'Pennsylvania', 'America/New_York'],
  ['RI', 'Rhode Island', 'America/New_York'],
  ['SC', 'South Carolina', 'America/New_York'],
  ['UT', 'Utah', 'America/Denver'],
  ['VT', 'Vermont', 'America/New_York'],
  ['VA', 'Virginia', 'America/New_York'],
  ['WA', 'Washington', 'America/Los_Angeles'],
  ['WV', 'West Virginia', 'America/New_York'],
  ['WI', 'Wisconsin', 'America/Chicago'],
  ['WY', 'Wyoming', 'America/Denver'],
  ['PR', 'Puerto Rico', 'America/Puerto_Rico'],
  ['GU', 'Guam', 'Pacific/Guam'],
  ['VI', 'U.S. Virgin Islands', 'America/St_Thomas'],
  ['AS', 'American Samoa', 'Pacific/Pago_Pago'],
  ['MP', 'Northern Mariana Islands', 'Pacific/Saipan'],
];

const byKey = new Map<string, string>();
for (const [code, name, zone] of STATES) {
  byKey.set(key(code), zone);
  byKey.set(key(name), zone);
}
byKey.set(key('Virgin Islands'), 'America/St_Thomas');
byKey.set(key('Washington DC'), 'America/New_York');

function key(s: string): string {
  return s.toLowerCase().replace(/[.,]/g, '').replace(/\s+/g, ' ').trim();
}

/** The zone of a state given by its two-letter code or full name, where the state has one zone. */
export function zoneFromState(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  return byKey.get(key(value)) ?? null;
}
