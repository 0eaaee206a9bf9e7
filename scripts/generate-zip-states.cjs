#!/usr/bin/env node
'use strict';
/*
 * Emits src/domain/data/zip-states.json: US ZIP code -> state (USPS code), from the npm package
 * zipcodes 8.0.0 (BSD; its US data is the US Census ZCTA / GeoNames ZIP list). Stored compactly:
 * by the ZIP's first three digits (a ZIP3 area almost always lies in one state), plus the few
 * 5-digit ZIPs whose state differs from their ZIP3's majority. The service loads the JSON once;
 * zipcodes is not a dependency of the service.
 *
 *   node scripts/generate-zip-states.cjs [zipcodes module dir]
 *
 * Default: /tmp/probe-rules/node_modules/zipcodes (install it anywhere outside the project).
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const zipcodes = require(process.argv[2] ?? '/tmp/probe-rules/node_modules/zipcodes');
const out = path.join(root, 'src/domain/data/zip-states.json');

const byZip3 = new Map();
for (const entry of Object.values(zipcodes.codes)) {
  if (entry.country !== 'US' || !/^\d{5}$/.test(entry.zip) || !/^[A-Z]{2}$/.test(entry.state)) continue;
  const zip3 = entry.zip.slice(0, 3);
  const zips = byZip3.get(zip3) ?? byZip3.set(zip3, new Map()).get(zip3);
  zips.set(entry.zip, entry.state);
}
const prefixes = {};
const exceptions = {};
for (const [zip3, zips] of [...byZip3].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const counts = new Map();
  for (const s of zips.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
  const majority = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  prefixes[zip3] = majority;
  for (const [zip, s] of [...zips].sort()) if (s !== majority) exceptions[zip] = s;
}
const block = (o) =>
  Object.entries(o)
    .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(',\n');
const text =
  '{\n' +
  '  "source": "npm zipcodes 8.0.0 (US entries)",\n' +
  '  "license": "BSD",\n' +
  '  "generator": "scripts/generate-zip-states.cjs",\n' +
  `  "prefixes": {\n${block(prefixes)}\n  },\n` +
  `  "exceptions": {\n${block(exceptions)}\n  }\n}\n`;
fs.writeFileSync(out, text);
console.log(
  `${Object.keys(prefixes).length} ZIP3 prefixes, ${Object.keys(exceptions).length} exceptions -> ${path.relative(root, out)} (${text.length} bytes)`,
);
