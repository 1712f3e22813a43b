#!/usr/bin/env node
// `npm install` / `npm ci` runs this: build the native kernels (native/, binding.gyp) with node-gyp
// for the machine it runs on. A failed or skipped build never fails the install: infoscope then
// runs its wasm path, and `infoscope doctor` says why. Set INFOSCOPE_SKIP_NATIVE=1 to skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (process.env.INFOSCOPE_SKIP_NATIVE === '1') {
  console.warn('infoscope: INFOSCOPE_SKIP_NATIVE=1, native kernels not built; the wasm path will run');
  process.exit(0);
}
if (!existsSync('binding.gyp')) process.exit(0);
const r = spawnSync('node-gyp', ['rebuild'], { stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
if (r.status !== 0) {
  console.warn(`infoscope: the native kernels could not be built (${r.error ? r.error.message : `node-gyp exited with ${r.status}`}); the wasm path will run. \`npx infoscope doctor\` says more.`);
}
process.exit(0);
