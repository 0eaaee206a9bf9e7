#!/usr/bin/env node
'use strict';
// Runs the compiled CLI when it exists (Docker image, `npm run build`), else the TypeScript
// sources through tsx, so a fresh checkout works after `npm ci` with no build step.
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled);
} else {
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
