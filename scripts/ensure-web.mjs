#!/usr/bin/env node
// Builds the web app (vite build → dist/web) when it is missing, so `npm start`
// and `npm test` work from a fresh clone even if `npm install` skipped `prepare`.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export function ensureWeb() {
  if (existsSync(`${root}/dist/web/index.html`)) return;
  console.error('Building the web app (vite build → dist/web) …');
  const result = spawnSync(process.execPath, [`${root}/node_modules/vite/bin/vite.js`, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureWeb();
