/**
 * `npm run bench:settle-stored`: does settlement slow down as the year fills?
 * Settles bills through the settlement service (in process, CLIENTS at once)
 * on a realistic year already stored (bench/support/realistic-year.ts: every
 * bill of it settled through the same service), and, as the floor measured in
 * the same run, on a county of the same shape (up to 10,000 people) with no
 * bill stored. First bills (the
 * person's first of the year: their year-to-date row is made) and repeat
 * bills (a person with bills) are reported apart; rounds alternate between
 * the two databases so the machine's other load falls on both. Aim: the
 * stored year settles within 10 % of the empty one (ratio ≥ 0.90).
 *
 * The bills it settles stay in the stored year (dated 20 December, after the
 * year's own), so a kept year (BENCH_KEEP=1) grows by a few thousand bills.
 *
 * With BENCH_OPEN_YEARS=N (0), `year open` runs for 2026 on and N years before
 * the measures, on both databases: the stored year stays in the first
 * partition, the bills measured go into the last year's, and each per-person
 * read probes N + 1 partitions (docs/partitioning.md).
 *
 * Settings (environment): BENCH_PERSONS (20000), BENCH_SETTLEMENTS (60000),
 * BENCH_CLIENTS (4), BENCH_SECONDS (10), BENCH_KEEP, BENCH_SEED, BENCH_OPEN_YEARS.
 */
import { cpus, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { FULL_DEMO, generateCounty } from '../src/demo/generate.ts';
import { loadCounty } from '../src/demo/load.ts';
import { loadPolicies, type PolicyRegistry } from '../src/domain/policy/registry.ts';
import { settleBill } from '../src/service/settlement-service.ts';
import { openYear } from '../src/service/year-partitions.ts';
import type { Db } from '../src/store/db.ts';
import { openDatabase } from '../src/store/open.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { findFacilityByCode, type FacilityRow } from '../src/store/repositories/facilities.ts';
import { schemaUrl } from '../src/store/schema-url.ts';
import { describeYear, openRealisticYear, yearOptionsFromEnv } from './support/realistic-year.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OPEN_YEARS = Number(process.env.BENCH_OPEN_YEARS ?? 0);
const log = (message: string) => process.stderr.write(`${message}\n`);

interface Rate { rate: number; count: number; errors: number; p50: number; p99: number }

/** CLIENTS loops settling one bill after another, each for the next person of the list, for SECONDS. */
async function drive(db: Db, policies: PolicyRegistry, facility: FacilityRow, people: string[], label: string): Promise<Rate> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < deadline && next < people.length) {
      const n = next++;
      const total = 20_000 + ((n * 104_729) % 3_000_000);
      const started = performance.now();
      try {
        await settleBill({ db, policies }, facility, {
          transactionId: `${label}-${n}`,
          patient: { idNumber: people[n]! },
          visit: { kind: n % 5 === 0 ? 'inpatient' : 'outpatient', date: '2025-12-20' },
          amounts: { total, compliant: Math.floor((total * 85) / 100) },
        });
        latencies.push(performance.now() - started);
      } catch {
        errors += 1;
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rate: latencies.length / seconds, count: latencies.length, errors, p50: at(0.5), p99: at(0.99) };
}

/** The same county with no bill: the floor. */
async function emptyCounty(policies: PolicyRegistry, persons: number, seed: number): Promise<Db> {
  const base = execFileSync('bash', ['scripts/pg-local.sh'], { encoding: 'utf8' }).trim().replace(/\/sanbao_test$/, '/sanbao_bench');
  const schema = 'bench_settle_empty';
  const admin = await openPostgres(base, 1);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = await openDatabase({ databaseUrl: schemaUrl(base, schema), poolSize: CLIENTS + 2 });
  await loadCounty(db, policies, generateCounty({ ...FULL_DEMO, persons, seed, year: 2025 }), { year: 2025, notEnrolledShare: 0.01 });
  await db.query('ANALYZE');
  return db;
}

/** Enrolled people without a bill of 2025, and with one. */
async function peopleOf(db: Db): Promise<{ fresh: string[]; billed: string[] }> {
  const rows = await db.query<{ id_number: string; billed: boolean }>(
    `SELECT p.id_number, y.person_id IS NOT NULL AS billed FROM persons p
       JOIN enrollments e ON e.person_id = p.id AND e.year = 2025 AND e.status = 'enrolled'
       LEFT JOIN accumulators y ON y.person_id = p.id AND y.year = 2025
     ORDER BY p.id`,
  );
  return { fresh: rows.filter((r) => !r.billed).map((r) => r.id_number), billed: rows.filter((r) => r.billed).map((r) => r.id_number) };
}

async function main(): Promise<void> {
  const policies = loadPolicies();
  const options = yearOptionsFromEnv({ persons: 20_000, settlements: 60_000 });
  console.log(`bench:settle-stored — machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start; ${CLIENTS} clients in process, ${SECONDS} s a measure`);
  const stored = await openRealisticYear(policies, options, log);
  for (const line of describeYear(stored.summary)) console.log(line);
  // The floor's county is the demo's shape at up to 10,000 people: loading a larger one costs minutes and the settle path's look-ups are by index.
  const floorPersons = Math.min(options.persons, 10_000);
  log(`the floor: a county of ${floorPersons.toLocaleString('en')} people with no bill stored…`);
  const empty = await emptyCounty(policies, floorPersons, options.seed);
  try {
    for (let y = 2026; y < 2026 + OPEN_YEARS; y++) for (const db of [empty, stored.db]) await openYear(db, y, 'bench');
    if (OPEN_YEARS > 0) console.log(`year open 2026${OPEN_YEARS > 1 ? `–${2025 + OPEN_YEARS}` : ''} on both: the bills measured go into the partition of ${2025 + OPEN_YEARS}, ${OPEN_YEARS + 1} partitions a table`);
    const [storedCount] = await stored.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements');
    const targets = [
      { label: 'empty', db: empty, facility: (await findFacilityByCode(empty, 'H51333000001'))!, people: await peopleOf(empty) },
      { label: 'stored', db: stored.db, facility: (await findFacilityByCode(stored.db, 'H51333000001'))!, people: await peopleOf(stored.db) },
    ];
    const best: Record<string, { first?: Rate; repeat?: Rate }> = { empty: {}, stored: {} };
    const run = Date.now().toString(36);
    for (let round = 1; round <= 2; round++) {
      for (const t of targets) {
        log(`round ${round}, ${t.label}: first bills…`);
        const first = await drive(t.db, policies, t.facility, t.people.fresh.splice(0, 100_000), `SS${run}-${round}-f`);
        if (!best[t.label]!.first || first.rate > best[t.label]!.first!.rate) best[t.label]!.first = first;
      }
      for (const t of targets) {
        log(`round ${round}, ${t.label}: repeat bills…`);
        // The empty county's repeat bills are for the people its first-bill rounds billed.
        const people = t.label === 'empty' ? (await peopleOf(t.db)).billed : t.people.billed;
        const repeat = await drive(t.db, policies, t.facility, people, `SS${run}-${round}-r`);
        if (!best[t.label]!.repeat || repeat.rate > best[t.label]!.repeat!.rate) best[t.label]!.repeat = repeat;
      }
    }
    const line = (name: string, r: Rate) => `${name.padEnd(34)} ${r.rate.toFixed(0).padStart(8)}/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  (${r.count} bills, ${r.errors} errors)`;
    console.log(`\nsettlements stored before the run: ${storedCount!.n.toLocaleString('en')} (realistic year) against none (the floor: ${floorPersons.toLocaleString('en')} people)`);
    for (const kind of ['first', 'repeat'] as const) {
      const e = best.empty![kind]!;
      const s = best.stored![kind]!;
      console.log(line(`${kind} bills, empty county (floor)`, e));
      console.log(line(`${kind} bills, year stored`, s));
      const ratio = s.rate / e.rate;
      console.log(`${kind} bills: ratio stored ÷ empty ${ratio.toFixed(2)} (aim ≥ 0.90) ${ratio >= 0.9 ? 'met' : 'MISSED'}`);
    }
    console.log(`(best of 2 rounds each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end)`);
  } finally {
    await empty.close();
    await stored.db.close();
  }
}

await main();
