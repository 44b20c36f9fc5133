// Prints vitest's JSON results as the plain closing line CI reads: "label: N passed, N failed".
import { readFileSync } from 'node:fs';

const [file, label = 'tests'] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = r.numFailedTests > 0 || !r.success ? 1 : 0;
