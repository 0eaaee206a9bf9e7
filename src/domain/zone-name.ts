import { IANAZone } from 'luxon';
import renames from './data/zone-renames.json';

/**
 * Time-zone names as people write them, to one IANA name per zone.
 *
 * US abbreviations name the zone a US contact lives in, whatever the season: `EST` and `EDT`
 * both mean America/New_York (the IANA zone literally called "EST" is a fixed UTC-5 without
 * daylight saving, which is not what a CRM means by it). `MST` means America/Denver; a contact in
 * Arizona is written America/Phoenix (or US/Arizona) and stays there.
 */
const ABBREVIATIONS = new Map(
  Object.entries({
    est: 'America/New_York',
    edt: 'America/New_York',
    et: 'America/New_York',
    eastern: 'America/New_York',
    cst: 'America/Chicago',
    cdt: 'America/Chicago',
    ct: 'America/Chicago',
    central: 'America/Chicago',
    mst: 'America/Denver',
    mdt: 'America/Denver',
    mt: 'America/Denver',
    mountain: 'America/Denver',
    pst: 'America/Los_Angeles',
    pdt: 'America/Los_Angeles',
    pt: 'America/Los_Angeles',
    pacific: 'America/Los_Angeles',
    akst: 'America/Anchorage',
    akdt: 'America/Anchorage',
    akt: 'America/Anchorage',
    alaska: 'America/Anchorage',
    hst: 'Pacific/Honolulu',
    hast: 'Pacific/Honolulu',
    hawaii: 'Pacific/Honolulu',
  }),
);

const renamed = new Map(Object.entries(renames as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
/** Proper spelling of every zone this runtime lists, so `america/new_york` is stored as America/New_York. */
const spelled = new Map<string, string>();
for (const z of [...Intl.supportedValuesOf('timeZone'), ...renamed.values(), 'UTC']) spelled.set(z.toLowerCase(), z);

const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

// Validating a name builds an Intl.DateTimeFormat (~0.1 ms): remember answers, boundedly, since
// the names come from caller data.
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, string | null>();

/**
 * The IANA zone `name` stands for, or null when it names none. Accepts IANA names in any case,
 * deprecated names (renamed to the current one) and the US abbreviations above. Serves both a
 * record's mapped TimeZone and a call's `TimeZone` property (null there: InvalidTimeZone).
 */
export function zoneFromName(name: string): string | null {
  const known = remembered.get(name);
  if (known !== undefined) return known;
  const zone = resolve(name);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(name, zone);
  return zone;
}

function resolve(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 64) return null;
  const lower = trimmed.toLowerCase();
  const named = ABBREVIATIONS.get(lower) ?? renamed.get(lower);
  if (named !== undefined) return named;
  // Only IANA-shaped names: newer runtimes also take offsets ("+05:00"), which older ones and
  // Postgres may not, and which no CRM means as a place.
  if (!IANA_SHAPE.test(trimmed) || !IANAZone.isValidZone(trimmed)) return null;
  return spelled.get(lower) ?? trimmed;
}

/** A zone name as stored: the current IANA name for a deprecated one, the proper spelling. */
export function canonicalZone(name: string): string {
  const lower = name.toLowerCase();
  return renamed.get(lower) ?? spelled.get(lower) ?? name;
}
