/**
 * A realistic year for the benches (issue 18): a county of BENCH_PERSONS
 * people (the demo county's shape: townships, villages, households,
 * identities in Dege's shares) and BENCH_SETTLEMENTS bills over the year,
 * every one settled through the real settlement service (`settleBill`, in
 * process), so every row is as wide as the API writes it: the visit, the
 * settlement with its steps, the funds, the bill, the ledger journal, the
 * audit entry, the accumulators, real time's alerts with their cases, the
 * cases' first events and their pushes.
 *
 * The year's shape: bills by month with winter peaks; outpatient 70 %,
 * chronic (approved diseases) 18 %, inpatient 12 %; who is billed skewed (a few
 * people have many bills, many have none), so the share of first bills falls
 * month by month; 1 % of bills reversed later in their month (the person's
 * later bills settled again, with adjustments); identities change on the
 * first of each month (people newly monitored or poverty-alleviated, others
 * ending). Bills are settled in date order, people in parallel lanes (a
 * person's bills stay in order), then dated as they happened (settled on the
 * visit day, Beijing time), as the demo does.
 *
 * Reproducible from the seed. Speed: about 2–4 ms of CPU a bill on this
 * machine, so the default 20,000 people and 60,000 bills take a few minutes;
 * past BENCH_THROUGH_SERVICE bills (60,000) a year of that size is settled
 * through the service and copied over in SQL, row for row under new ids
 * (year-multiplier.ts), up to 3 million people and 20 million bills
 * (BENCH_PERSONS, BENCH_SETTLEMENTS). BENCH_THROUGH_SERVICE=20000000 settles
 * all of them through the service instead: a night's load on a prefecture's
 * server. A year is kept between runs with BENCH_KEEP=1 (each size has its
 * own schema).
 */
import { execFileSync } from 'node:child_process';
import { FULL_DEMO, generateCounty, prng } from '../../src/demo/generate.ts';
import { loadCounty } from '../../src/demo/load.ts';
import { demoChronicDiagnosis } from '../../src/demo/chronic.ts';
import { loadDemoStaff } from '../../src/demo/staff.ts';
import type { PolicyRegistry } from '../../src/domain/policy/registry.ts';
import { ATTESTING_DEPARTMENT, type Identity, type VisitKind } from '../../src/domain/vocabulary.ts';
import { importReferenceCatalogues } from '../../src/service/insurance-catalogue-import.ts';
import { reverseSettlement, settleBill } from '../../src/service/settlement-service.ts';
import type { Db } from '../../src/store/db.ts';
import { openDatabase } from '../../src/store/open.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { findFacilityByCode, type FacilityRow } from '../../src/store/repositories/facilities.ts';
import { insertIdentity } from '../../src/store/repositories/persons.ts';
import { dbStats } from '../../src/store/repositories/db-stats.ts';
import { multiplyYear } from './year-multiplier.ts';
import { dateAsHappened } from './year-dating.ts';
import { schemaUrl } from '../../src/store/schema-url.ts';

export interface YearOptions {
  readonly persons: number;
  readonly settlements: number;
  readonly year: number;
  readonly seed: number;
  /** Bills settled at once (different people); a person's bills stay in order. */
  readonly lanes: number;
}

export interface YearSummary {
  readonly persons: number;
  readonly settlements: number;
  readonly refused: number;
  readonly reversals: number;
  readonly identityChanges: number;
  readonly byKind: Record<VisitKind, number>;
  readonly billsByMonth: number[];
  /** Bills that were their person's first of the year, by month. */
  readonly firstBillsByMonth: number[];
  readonly seconds: number;
  /** The year settled through the service was copied this many times over in SQL (1: not copied). */
  readonly copies?: number;
  readonly bytesPerSettlement: number | null;
  readonly stepsBytes: number | null;
}

export function yearOptionsFromEnv(defaults: { persons: number; settlements: number }): YearOptions {
  return {
    persons: Number(process.env.BENCH_PERSONS ?? defaults.persons),
    settlements: Number(process.env.BENCH_SETTLEMENTS ?? defaults.settlements),
    year: 2025,
    seed: Number(process.env.BENCH_SEED ?? 2025),
    lanes: Number(process.env.BENCH_LANES ?? 4),
  };
}

const MONTH_WEIGHTS = [1.2, 0.85, 1.0, 1.0, 0.95, 0.9, 0.9, 0.95, 1.0, 1.0, 1.05, 1.2];
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface PlannedBill {
  person: number; // index into the people
  month: number; // 0–11
  day: number;
  kind: VisitKind;
  total: number;
  compliant: number;
  facility: number;
}

/** The year's bills, in date order. */
function planBills(o: YearOptions, people: number, random: () => number): PlannedBill[] {
  // Who is billed: skewed (u^1.8 over the people), then scattered by a step coprime to their number so it is not by household.
  let step = Math.floor(people * 0.618) | 1;
  while (gcd(step, people) !== 1) step += 2;
  const cumulative: number[] = [];
  MONTH_WEIGHTS.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const weightSum = cumulative[11]!;
  const bills: PlannedBill[] = [];
  for (let i = 0; i < o.settlements; i++) {
    const person = (Math.floor(people * random() ** 1.8) * step) % people;
    const u = random() * weightSum;
    const m = cumulative.findIndex((c) => u < c);
    const month = m < 0 ? 11 : m;
    const day = 1 + Math.floor(random() * DAYS[month]!);
    const roll = random();
    const kind: VisitKind = roll < 0.7 ? 'outpatient' : roll < 0.88 ? 'chronic' : 'inpatient';
    // Yuan: outpatient 30–800, chronic 150–2,000, inpatient 2,000–60,000 (8 % of stays 150,000–350,000).
    const yuan = kind === 'outpatient' ? 30 + Math.floor(random() * 770)
      : kind === 'chronic' ? 150 + Math.floor(random() * 1_850)
      : random() < 0.08 ? 150_000 + Math.floor(random() * 200_000) : 2_000 + Math.floor(random() * 58_000);
    const total = yuan * 100 + Math.floor(random() * 100);
    const compliant = Math.floor((total * (70 + Math.floor(random() * 25))) / 100);
    // Facilities: 0, 1 county hospitals, 2 the township clinic, 3 out of area (Lhasa).
    const facility = kind === 'outpatient' ? (random() < 0.6 ? 2 : 0) : kind === 'chronic' ? (random() < 0.5 ? 0 : 1) : random() < 0.04 ? 3 : random() < 0.7 ? 0 : 1;
    bills.push({ person, month, day, kind, total, compliant, facility });
  }
  return bills.sort((a, b) => a.month - b.month || a.day - b.day);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Loads the county and settles the year through the service. */
export async function generateYear(db: Db, policies: PolicyRegistry, o: YearOptions, log: (line: string) => void): Promise<YearSummary> {
  const t0 = performance.now();
  const random = prng(o.seed);
  const county = generateCounty({ ...FULL_DEMO, persons: o.persons, seed: o.seed, year: o.year });
  await loadCounty(db, policies, county, { year: o.year, notEnrolledShare: 0.01 });
  await loadDemoStaff(db);
  await importReferenceCatalogues(db, 'demo');
  await db.query('ANALYZE');
  log(`  county loaded: ${o.persons.toLocaleString('en')} people (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const people = await db.query<{ id: number; id_number: string }>(
    `SELECT p.id::int AS id, p.id_number FROM persons p JOIN enrollments e ON e.person_id = p.id AND e.year = $1 AND e.status = 'enrolled' ORDER BY p.id`,
    [o.year],
  );
  const facilities: FacilityRow[] = [];
  for (const code of ['H51333000001', 'H51333000002', 'H51333000101', 'H54010200001']) facilities.push((await findFacilityByCode(db, code))!);
  const bills = planBills(o, people.length, random);
  const seen = new Set<number>();
  const billsByMonth = Array<number>(12).fill(0);
  const firstBillsByMonth = Array<number>(12).fill(0);
  const byKind: Record<VisitKind, number> = { outpatient: 0, chronic: 0, inpatient: 0 };
  let settled = 0;
  let refused = 0;
  let reversals = 0;
  let identityChanges = 0;
  const deps = { db, policies };
  let lastReport = performance.now();
  for (let month = 0; month < 12; month++) {
    identityChanges += await changeIdentities(db, people, o.year, month, random);
    const ofMonth = bills.filter((b) => b.month === month);
    const done: { person: number; facility: number; tx: string }[] = [];
    const lanes = Array.from({ length: o.lanes }, (_, lane) => ofMonth.filter((b) => b.person % o.lanes === lane));
    let n = 0;
    await Promise.all(lanes.map(async (lane, l) => {
      for (const [i, b] of lane.entries()) {
        const person = people[b.person]!;
        const tx = `Y${o.year}-${pad(month + 1)}-${l}-${i}`;
        const date = `${o.year}-${pad(month + 1)}-${pad(b.day)}`;
        let kind = b.kind;
        const diagnosis = kind === 'chronic' ? await demoChronicDiagnosis(db, person.id_number, o.year).catch(() => undefined) : undefined;
        if (kind === 'chronic' && !diagnosis) kind = 'outpatient';
        try {
          await settleBill(deps, facilities[b.facility]!, {
            transactionId: tx,
            patient: { idNumber: person.id_number },
            visit: { kind, date, ...(kind === 'chronic' ? { chronicClass: 'B', diagnosis } : {}) },
            amounts: { total: b.total, compliant: b.compliant },
          });
        } catch {
          refused += 1; // a bill the policy refuses is not part of the year
          continue;
        }
        settled += 1;
        byKind[kind] += 1;
        billsByMonth[month]! += 1;
        if (!seen.has(b.person)) {
          seen.add(b.person);
          firstBillsByMonth[month]! += 1;
        }
        done.push({ person: b.person, facility: b.facility, tx });
        n += 1;
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          log(`  ${o.year}-${pad(month + 1)}: ${settled.toLocaleString('en')} of ${o.settlements.toLocaleString('en')} bills settled (${(settled / ((performance.now() - t0) / 1000)).toFixed(0)}/s)`);
        }
      }
    }));
    // 1 % reversed at the month's end: the person's later bills are settled again (adjustments), as a hospital's 冲正 does.
    for (const d of done) {
      if (random() >= 0.01) continue;
      await reverseSettlement(deps, facilities[d.facility]!, d.tx, `${d.tx}-R`);
      reversals += 1;
    }
    void n;
  }
  await dateAsHappened(db, o.year);
  await db.query('ANALYZE');
  const stats = await dbStats(db);
  return {
    persons: people.length, settlements: settled, refused, reversals, identityChanges, byKind, billsByMonth, firstBillsByMonth,
    seconds: (performance.now() - t0) / 1000, bytesPerSettlement: stats.bytesPerSettlement, stepsBytes: stats.stepsBytesPerSettlement,
  };
}

/** On the first of each month after January: 0.2 % of people gain an identity from that day, 0.1 % lose theirs from that day. */
async function changeIdentities(db: Db, people: readonly { id: number }[], year: number, month: number, random: () => number): Promise<number> {
  if (month === 0) return 0;
  const from = `${year}-${pad(month + 1)}-01`;
  let n = 0;
  for (let i = 0; i < Math.ceil(people.length * 0.002); i++) {
    const person = people[Math.floor(random() * people.length)]!;
    const identity: Identity = random() < 0.5 ? 'monitored' : 'poverty_alleviated';
    await insertIdentity(db, { personId: person.id, identity, validFrom: from, department: ATTESTING_DEPARTMENT[identity], source: 'bench' });
    n += 1;
  }
  for (let i = 0; i < Math.ceil(people.length * 0.001); i++) {
    const person = people[Math.floor(random() * people.length)]!;
    const rows = await db.query(
      `UPDATE identities SET valid_to = $2::date - 1 WHERE person_id = $1 AND ended_at IS NULL AND valid_from < $2::date AND (valid_to IS NULL OR valid_to >= $2::date) RETURNING id`,
      [person.id, from],
    );
    n += rows.length;
  }
  return n;
}

/**
 * The realistic year on the machine's PostgreSQL (database sanbao_bench), in
 * a schema named for its size: made when missing (or always, without
 * BENCH_KEEP=1), reused otherwise. Returns the database and the summary.
 */
export async function openRealisticYear(
  policies: PolicyRegistry,
  o: YearOptions,
  log: (line: string) => void,
): Promise<{ db: Db; url: string; schema: string; summary: YearSummary; reused: boolean }> {
  const base = execFileSync('bash', ['scripts/pg-local.sh'], { encoding: 'utf8' }).trim().replace(/\/sanbao_test$/, '/sanbao_bench');
  const schema = `bench_year_${o.persons}_${o.settlements}_${o.seed}`;
  const url = schemaUrl(base, schema);
  const admin = await openPostgres(base, 1);
  let summary: YearSummary | undefined;
  if (process.env.BENCH_KEEP === '1') {
    const [exists] = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'bench_year'`, [schema]);
    if (exists?.n) summary = (await admin.query<{ summary: YearSummary }>(`SELECT summary FROM ${schema}.bench_year`))[0]?.summary;
  }
  if (!summary) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`CREATE SCHEMA ${schema}`);
  }
  await admin.close();
  const db = await openDatabase({ databaseUrl: url, poolSize: o.lanes + 2 });
  if (summary) {
    log(`reusing the realistic year in schema ${schema} (BENCH_KEEP=1)`);
    return { db, url, schema, summary, reused: true };
  }
  const through = Number(process.env.BENCH_THROUGH_SERVICE ?? 60_000);
  const copies = Math.max(1, Math.ceil(o.settlements / through));
  const settled = { ...o, persons: Math.ceil(o.persons / copies), settlements: Math.ceil(o.settlements / copies) };
  log(`generating a realistic year in schema ${schema}: ${settled.persons.toLocaleString('en')} people, ${settled.settlements.toLocaleString('en')} bills through the settlement service${copies > 1 ? `, then copied ${copies} times over in SQL` : ''}…`);
  summary = await generateYear(db, policies, settled, log);
  if (copies > 1) {
    const t0 = performance.now();
    await multiplyYear(db, copies, log);
    const stats = await dbStats(db);
    const times = (xs: number[]) => xs.map((x) => x * copies);
    summary = {
      ...summary, copies, persons: summary.persons * copies, settlements: summary.settlements * copies, refused: summary.refused * copies,
      reversals: summary.reversals * copies, identityChanges: summary.identityChanges * copies,
      byKind: { outpatient: summary.byKind.outpatient * copies, chronic: summary.byKind.chronic * copies, inpatient: summary.byKind.inpatient * copies },
      billsByMonth: times(summary.billsByMonth), firstBillsByMonth: times(summary.firstBillsByMonth),
      seconds: summary.seconds + (performance.now() - t0) / 1000, bytesPerSettlement: stats.bytesPerSettlement, stepsBytes: stats.stepsBytesPerSettlement,
    };
  }
  await db.query('CREATE TABLE bench_year (summary jsonb NOT NULL)');
  await db.query('INSERT INTO bench_year (summary) VALUES ($1)', [JSON.stringify(summary)]);
  return { db, url, schema, summary, reused: false };
}

/** The summary as the benches print it. */
export function describeYear(s: YearSummary): string[] {
  const share = s.firstBillsByMonth.map((f, i) => `${i + 1}:${s.billsByMonth[i] ? Math.round((100 * f) / s.billsByMonth[i]!) : 0}%`).join(' ');
  return [
    `realistic year: ${s.persons.toLocaleString('en')} enrolled people, ${s.settlements.toLocaleString('en')} bills settled through the service` +
      `${(s.copies ?? 1) > 1 ? ` (${(s.settlements / s.copies!).toLocaleString('en')} of them, copied ${s.copies} times over in SQL)` : ''} (${s.refused} refused), ` +
      `${s.reversals.toLocaleString('en')} reversed, ${s.identityChanges.toLocaleString('en')} identity changes; outpatient ${s.byKind.outpatient.toLocaleString('en')}, ` +
      `chronic ${s.byKind.chronic.toLocaleString('en')}, inpatient ${s.byKind.inpatient.toLocaleString('en')}; made in ${s.seconds.toFixed(0)} s`,
    `first bills' share by month: ${share}`,
    `bytes per settlement (sanbao db stats): ${s.bytesPerSettlement ?? '–'}; steps ${s.stepsBytes ?? '–'} bytes on average`,
  ];
}
