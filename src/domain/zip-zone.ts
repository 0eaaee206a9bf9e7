import { lookup } from 'zipcode-to-timezone';
import { canonicalZone } from './zone-name';

/**
 * US ZIP code -> time zone. zipcode-to-timezone holds the ZIPs of the states (its JSON is read
 * once, on first import); the territories and a few Alaska and Pacific ZIPs it lacks or gets
 * wrong are answered here.
 */
const BY_ZIP = new Map<string, string>([
  ['99546', 'America/Adak'], // Adak
  ['99547', 'America/Adak'], // Atka
  ['96799', 'Pacific/Pago_Pago'], // American Samoa
  ['96939', 'Pacific/Palau'],
  ['96940', 'Pacific/Palau'],
  ['96941', 'Pacific/Pohnpei'],
  ['96942', 'Pacific/Chuuk'],
  ['96943', 'Pacific/Chuuk'], // Yap
  ['96944', 'Pacific/Kosrae'],
  ['96950', 'Pacific/Saipan'],
  ['96951', 'Pacific/Saipan'], // Rota
  ['96952', 'Pacific/Saipan'], // Tinian
  ['96960', 'Pacific/Majuro'],
  ['96970', 'Pacific/Majuro'], // Ebeye
]);

/** By the first three digits, for ZIPs the package does not know. */
const BY_PREFIX = new Map<string, string>([
  ['006', 'America/Puerto_Rico'],
  ['007', 'America/Puerto_Rico'],
  ['008', 'America/St_Thomas'], // US Virgin Islands
  ['009', 'America/Puerto_Rico'],
  ['967', 'Pacific/Honolulu'],
  ['968', 'Pacific/Honolulu'],
  ['969', 'Pacific/Guam'],
  ['995', 'America/Anchorage'],
  ['996', 'America/Anchorage'],
  ['997', 'America/Anchorage'],
  ['998', 'America/Anchorage'],
  ['999', 'America/Anchorage'],
]);

// 5 digits, optionally +4; or 3-4 digits whose leading zeros a spreadsheet dropped (2138 = 02138).
const ZIP = /^(\d{5})(?:[-\s]?\d{4})?$|^(\d{3,4})(?:-\d{4})?$/;

/** The 5-digit ZIP in a ZIP or ZIP+4 value, or null when the value is none. */
export function zip5(value: unknown): string | null {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 100) return null;
    if (value <= 99_999) return String(value).padStart(5, '0');
    if (value >= 100_000_000 && value <= 999_999_999) return String(value).slice(0, 5);
    return null;
  }
  if (typeof value !== 'string') return null;
  const m = ZIP.exec(value.trim());
  if (m === null) return null;
  return m[1] ?? (m[2] as string).padStart(5, '0');
}

export function zoneFromZip(value: unknown): string | null {
  const zip = zip5(value);
  if (zip === null) return null;
  const own = BY_ZIP.get(zip);
  if (own !== undefined) return own;
  const known = lookup(zip);
  if (known !== null) return canonicalZone(known);
  return BY_PREFIX.get(zip.slice(0, 3)) ?? null;
}
