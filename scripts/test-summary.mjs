// Prints vitest's JSON results as the plain closing lines CI reads: one per run, then the total,
// each "label: N passed, N failed". Exits 1 when any test failed or a run did not finish.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

let passed = 0;
let failed = 0;
let ok = true;
for (const file of process.argv.slice(2)) {
  const label = basename(file).replace(/^\.test-results-?/, '').replace(/\.json$/, '') || 'tests';
  if (!existsSync(file)) {
    console.log(`${label}: 0 passed, 1 failed (no results: the run did not finish)`);
    failed += 1;
    ok = false;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numFailedTests > 0 || !r.success) ok = false;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exitCode = ok ? 0 : 1;
