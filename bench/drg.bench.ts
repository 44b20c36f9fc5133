/**
 * DRG grouping throughput: `npm run bench:drg`.
 *
 * Generates settlement lists (4101 JSON text, 100,000 distinct, read in turn
 * until 1,000,000 discharges), then times two runs over the same text on one
 * core: the floor only parses and checks each abstract (JSON.parse +
 * readAbstract); the grouping run does that plus the coder's code checks and
 * the grouper on the shipped illustrative table. Prints discharges per second
 * of each, the ratio, and a checksum of the DRGs so the work cannot be skipped.
 *
 * Options (environment): BENCH_DISCHARGES (1000000), BENCH_DISTINCT (100000), BENCH_ROUNDS (3).
 */
import { generateDischarges } from '../src/demo/drg-discharges.ts';
import { readAbstract } from '../src/domain/drg/abstract.ts';
import { groupDischarge } from '../src/domain/drg/grouper.ts';
import { codeFindings } from '../src/domain/drg/quality.ts';
import { shippedCatalogue } from '../src/service/catalogue-import.ts';
import { groupTable } from '../src/service/drg-tables.ts';

const TOTAL = Number(process.env.BENCH_DISCHARGES ?? 1_000_000);
const DISTINCT = Math.min(TOTAL, Number(process.env.BENCH_DISTINCT ?? 100_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const facilities = [{ code: 'HX3', level: 3 }, { code: 'HX2', level: 2 }, { code: 'HX1', level: 3 }];
const texts = [...generateDischarges({ count: DISTINCT, seed: 2023, year: 2023, facilities })].map((d) => JSON.stringify(d));
const table = groupTable();
const catalogues = { diagnoses: shippedCatalogue('diagnoses'), procedures: shippedCatalogue('procedures') };

function parseOnly(): number {
  let check = 0;
  for (let i = 0; i < TOTAL; i++) {
    const r = readAbstract(JSON.parse(texts[i % DISTINCT]!));
    check += r.abstract ? r.abstract.iptDays : 1;
  }
  return check;
}

function parseAndGroup(): number {
  let check = 0;
  for (let i = 0; i < TOTAL; i++) {
    const r = readAbstract(JSON.parse(texts[i % DISTINCT]!));
    if (!r.abstract) continue;
    const g = groupDischarge(r.abstract, table, catalogues, codeFindings(r.abstract, catalogues));
    check += g.drg.charCodeAt(0) + g.drg.charCodeAt(g.drg.length - 1) + g.steps.length;
  }
  return check;
}

function time(fn: () => number): { seconds: number; check: number } {
  const t0 = process.hrtime.bigint();
  const check = fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, check };
}

// Warm-up, so both runs are measured on compiled code.
for (let i = 0; i < Math.min(DISTINCT, 50_000); i++) {
  const r = readAbstract(JSON.parse(texts[i]!));
  if (r.abstract) groupDischarge(r.abstract, table, catalogues);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
let bestParse = Infinity;
let bestGroup = Infinity;
let checksum = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const p = time(parseOnly);
  const g = time(parseAndGroup);
  bestParse = Math.min(bestParse, p.seconds);
  bestGroup = Math.min(bestGroup, g.seconds);
  checksum = g.check;
  console.log(`round ${round}: parse only ${fmt(TOTAL / p.seconds)}/s, parse + group ${fmt(TOTAL / g.seconds)}/s`);
}
console.log(`\nDRG grouping of ${fmt(TOTAL)} discharges (${fmt(DISTINCT)} distinct settlement lists, table ${table.id}, best of ${ROUNDS}):`);
console.log(`  floor  parse + check only      ${fmt(TOTAL / bestParse).padStart(12)} discharges/s  (${bestParse.toFixed(2)} s)`);
console.log(`  group  parse + check + group   ${fmt(TOTAL / bestGroup).padStart(12)} discharges/s  (${bestGroup.toFixed(2)} s)`);
console.log(`  ratio  grouping takes ${(bestGroup / bestParse).toFixed(2)}× the floor's time (grouping alone ${fmt(TOTAL / Math.max(1e-9, bestGroup - bestParse))}/s)`);
console.log(`  checksum ${checksum}`);
