import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalZone,
  destinationZone,
  prefixZones,
  resolveTimeZone,
  zip5,
  zoneFromName,
  zoneFromPhone,
  zoneFromState,
  zoneFromZip,
  type ZoneFallback,
} from '../../src/domain/time-zone';
import data from '../../src/domain/data/phone-prefix-zones.json';

const REJECT: ZoneFallback = { noTimeZoneReject: 'No', defaultTimeZone: null };

describe('zoneFromName', () => {
  it('takes IANA names in any case, and keeps America/Phoenix', () => {
    expect(zoneFromName('America/Chicago')).toBe('America/Chicago');
    expect(zoneFromName('america/new_york')).toBe('America/New_York');
    expect(zoneFromName(' America/Phoenix ')).toBe('America/Phoenix');
    expect(zoneFromName('Europe/London')).toBe('Europe/London');
    expect(zoneFromName('UTC')).toBe('UTC');
    expect(zoneFromName('Etc/GMT+5')).toBe('Etc/GMT+5');
  });

  it('reads US abbreviations as the zone a contact lives in', () => {
    const cases: Record<string, string> = {
      EST: 'America/New_York',
      EDT: 'America/New_York',
      ET: 'America/New_York',
      Eastern: 'America/New_York',
      CST: 'America/Chicago',
      cdt: 'America/Chicago',
      CT: 'America/Chicago',
      central: 'America/Chicago',
      MST: 'America/Denver',
      MDT: 'America/Denver',
      MT: 'America/Denver',
      Mountain: 'America/Denver',
      PST: 'America/Los_Angeles',
      PDT: 'America/Los_Angeles',
      PT: 'America/Los_Angeles',
      Pacific: 'America/Los_Angeles',
      AKST: 'America/Anchorage',
      AKDT: 'America/Anchorage',
      Alaska: 'America/Anchorage',
      HST: 'Pacific/Honolulu',
      Hawaii: 'Pacific/Honolulu',
    };
    for (const [name, zone] of Object.entries(cases)) expect(zoneFromName(name), name).toBe(zone);
  });

  it('renames deprecated names to the current one', () => {
    expect(zoneFromName('America/Shiprock')).toBe('America/Denver');
    expect(zoneFromName('US/Eastern')).toBe('America/New_York');
    expect(zoneFromName('US/Arizona')).toBe('America/Phoenix');
    expect(zoneFromName('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(zoneFromName('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(canonicalZone('America/Godthab')).toBe('America/Nuuk');
  });

  it('answers null for names of no zone', () => {
    for (const n of ['Mars/Olympus', '', '  ', 'constructor', 'toString', '__proto__', 'x'.repeat(100), '+05:00', '-0800']) {
      expect(zoneFromName(n), n).toBeNull();
    }
  });
});

describe('zoneFromZip', () => {
  it('reads ZIP and ZIP+4, as text or number', () => {
    expect(zoneFromZip('10001')).toBe('America/New_York');
    expect(zoneFromZip('10001-1234')).toBe('America/New_York');
    expect(zoneFromZip('100011234')).toBe('America/New_York');
    expect(zoneFromZip(60601)).toBe('America/Chicago');
    expect(zoneFromZip('90210')).toBe('America/Los_Angeles');
    expect(zoneFromZip('80202')).toBe('America/Denver');
  });

  it('restores leading zeros a spreadsheet dropped', () => {
    expect(zip5(2138)).toBe('02138');
    expect(zip5('2138')).toBe('02138');
    expect(zip5('2138-1234')).toBe('02138');
    expect(zoneFromZip(2138)).toBe('America/New_York');
  });

  it('answers Hawaii, Arizona and Alaska', () => {
    expect(zoneFromZip('96813')).toBe('Pacific/Honolulu');
    expect(zoneFromZip('85001')).toBe('America/Phoenix');
    expect(zoneFromZip('99501')).toBe('America/Anchorage');
    expect(zoneFromZip('99546')).toBe('America/Adak');
    expect(zoneFromZip('99547')).toBe('America/Adak');
    expect(zoneFromZip('99801')).toBe('America/Juneau');
  });

  it('answers the territories the package lacks', () => {
    expect(zoneFromZip('00901')).toBe('America/Puerto_Rico');
    expect(zoneFromZip('00602')).toBe('America/Puerto_Rico');
    expect(zoneFromZip('00802')).toBe('America/St_Thomas');
    expect(zoneFromZip('96910')).toBe('Pacific/Guam');
    expect(zoneFromZip('96950')).toBe('Pacific/Saipan');
    expect(zoneFromZip('96799')).toBe('Pacific/Pago_Pago');
  });

  it('never answers a deprecated zone name', () => {
    // zipcode-to-timezone gives America/Shiprock (a link to Denver) for some Arizona ZIPs.
    expect(zoneFromZip('85901')).toBe('America/Denver');
  });

  it('answers null for what is not a ZIP', () => {
    for (const z of ['ABCDE', '123', '1234567', '10001-12', '', 12, 1234567, -10001, 1.5, null, {}]) {
      expect(zoneFromZip(z), String(z)).toBeNull();
    }
  });
});

describe('zoneFromState', () => {
  it('answers single-zone states by code or name, in any case', () => {
    expect(zoneFromState('NY')).toBe('America/New_York');
    expect(zoneFromState('ny')).toBe('America/New_York');
    expect(zoneFromState('New York')).toBe('America/New_York');
    expect(zoneFromState('  california ')).toBe('America/Los_Angeles');
    expect(zoneFromState('HI')).toBe('Pacific/Honolulu');
    expect(zoneFromState('Hawaii')).toBe('Pacific/Honolulu');
    expect(zoneFromState('AZ')).toBe('America/Phoenix');
    expect(zoneFromState('AK')).toBe('America/Anchorage');
    expect(zoneFromState('Washington, D.C.')).toBe('America/New_York');
    expect(zoneFromState('DC')).toBe('America/New_York');
  });

  it('answers DC and the territories', () => {
    expect(zoneFromState('PR')).toBe('America/Puerto_Rico');
    expect(zoneFromState('GU')).toBe('Pacific/Guam');
    expect(zoneFromState('VI')).toBe('America/St_Thomas');
    expect(zoneFromState('AS')).toBe('Pacific/Pago_Pago');
    expect(zoneFromState('MP')).toBe('Pacific/Saipan');
  });

  it('does not answer for split states', () => {
    for (const s of ['FL', 'TN', 'KY', 'IN', 'MI', 'ND', 'SD', 'NE', 'KS', 'TX', 'ID', 'OR', 'Texas', 'florida']) {
      expect(zoneFromState(s), s).toBeNull();
    }
    expect(zoneFromState('Atlantis')).toBeNull();
    expect(zoneFromState(5)).toBeNull();
  });
});

describe('phone prefix zones', () => {
  it('answers the one zone of an ordinary prefix', () => {
    expect(zoneFromPhone('+12127365000')).toBe('America/New_York');
    expect(zoneFromPhone('+18085860000')).toBe('Pacific/Honolulu');
    expect(zoneFromPhone('+16025424331')).toBe('America/Phoenix');
    expect(zoneFromPhone('+4930901820')).toBe('Europe/Berlin');
    expect(zoneFromPhone('+61293744000')).toBe('Australia/Sydney');
    expect(zoneFromPhone('+17877222121')).toBe('America/Puerto_Rico');
  });

  it('collapses zones with the same offsets into one (London, Jersey, Guernsey, Isle of Man)', () => {
    expect(prefixZones('+442079460958')).toEqual(['Europe/London']);
    expect(zoneFromPhone('+447911123456')).toBe('Europe/London');
    expect(zoneFromPhone('+35312345678')).toBe('Europe/Dublin');
  });

  it('keeps prefixes with several offsets ambiguous', () => {
    expect(prefixZones('+19075921234')).toEqual(['America/Adak', 'America/Anchorage']);
    expect(zoneFromPhone('+19075921234')).toBeNull();
    expect(prefixZones('+61892220000')).toEqual(['Australia/Adelaide', 'Australia/Perth']);
    expect(zoneFromPhone('+61892220000')).toBeNull();
    expect(zoneFromPhone('+74956063602')).toBe('Europe/Moscow');
    expect(prefixZones('+7').length).toBeGreaterThan(1);
  });

  it('uses the longest matching prefix', () => {
    expect(zoneFromPhone('+19074653500')).toBe('America/Juneau');
    expect(zoneFromPhone('+19075811251')).toBe('America/Anchorage');
    expect(zoneFromPhone('+525550802000')).toBe('America/Mexico_City');
    expect(zoneFromPhone('+526649737000')).toBe('America/Tijuana');
    expect(prefixZones('+52').length).toBeGreaterThan(1);
  });

  it('answers nothing for an unknown prefix', () => {
    expect(prefixZones('+999')).toEqual([]);
    expect(zoneFromPhone('')).toBeNull();
  });

  it('holds only zones this runtime knows, under their current names', () => {
    const zones = new Set(Object.values(data.prefixes as Record<string, string>).flatMap((z) => z.split('&')));
    expect(zones.size).toBeGreaterThan(100);
    for (const z of zones) {
      expect(zoneFromName(z), z).not.toBeNull();
      expect(canonicalZone(z), z).toBe(z);
    }
  });
});

describe('resolveTimeZone', () => {
  it('asks TimeZone, then Zip, then State, then the number, then the default', () => {
    const all = { timeZone: 'PST', zip: '10001', state: 'HI', primaryNumber: '+16025424331' };
    expect(resolveTimeZone(all, REJECT)).toEqual({ timeZone: 'America/Los_Angeles', source: 'Field' });
    expect(resolveTimeZone({ ...all, timeZone: undefined }, REJECT)).toEqual({ timeZone: 'America/New_York', source: 'Zip' });
    expect(resolveTimeZone({ ...all, timeZone: null, zip: null }, REJECT)).toEqual({ timeZone: 'Pacific/Honolulu', source: 'State' });
    expect(resolveTimeZone({ primaryNumber: '+16025424331' }, REJECT)).toEqual({ timeZone: 'America/Phoenix', source: 'Phone' });
    expect(resolveTimeZone({ primaryNumber: '+19075921234' }, { noTimeZoneReject: 'Yes', defaultTimeZone: 'America/Chicago' })).toEqual({
      timeZone: 'America/Chicago',
      source: 'Default',
    });
  });

  it('goes on past values that name no zone', () => {
    expect(resolveTimeZone({ timeZone: 'Nowhere', zip: '96813' }, REJECT)).toEqual({ timeZone: 'Pacific/Honolulu', source: 'Zip' });
    expect(resolveTimeZone({ timeZone: 5, zip: 'abc', state: 'AZ' }, REJECT)?.source).toBe('State');
    expect(resolveTimeZone({ state: 'TX', primaryNumber: '+12127365000' }, REJECT)?.source).toBe('Phone');
  });

  it('rejects (null) when nothing answers and NoTimeZoneReject is No, or Yes without a default', () => {
    expect(resolveTimeZone({ primaryNumber: '+19075921234' }, REJECT)).toBeNull();
    expect(resolveTimeZone({ state: 'TX' }, { noTimeZoneReject: 'Yes', defaultTimeZone: null })).toBeNull();
    expect(resolveTimeZone({}, { noTimeZoneReject: 'No', defaultTimeZone: 'America/Chicago' })).toBeNull();
  });

  it('never throws on any values', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (timeZone, zip, state) => {
        resolveTimeZone({ timeZone, zip, state, primaryNumber: '+12127365000' }, REJECT);
      }),
    );
  });
});

describe('destinationZone', () => {
  it("is the number's own zone where its prefix has one, else the contact's", () => {
    expect(destinationZone('+18085860000', 'America/New_York')).toBe('Pacific/Honolulu');
    expect(destinationZone('+19075921234', 'America/Adak')).toBe('America/Adak');
    expect(destinationZone('+61892220000', 'Australia/Perth')).toBe('Australia/Perth');
  });
});
