/**
 * `npm run bench:coverage`: the coverage report (参保率 by township and
 * village, with the people in difficulty) over a county of many people on the
 * machine's PostgreSQL, against the plain GROUP BY over the same rows
 * (people by village, enrolled or not) measured in the same run, with the
 * ratio. The county is the demo's shape (households, identities in Dege's
 * shares, 1 % not enrolled): 10,000 people loaded by the demo loader, copied
 * over in SQL with their households, identities and enrollments (the demo
 * loader takes minutes past a few tens of thousands); no bills are needed.
 *
 * Settings (environment): BENCH_COVERAGE_PERSONS (300000; a prefecture is
 * 3000000), BENCH_KEEP=1 reuses a county of the same size.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { FULL_DEMO, generateCounty } from '../src/demo/generate.ts';
import { loadCounty } from '../src/demo/load.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { coverage } from '../src/service/enrollment-reports.ts';
import { openDatabase } from '../src/store/open.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { schemaUrl } from '../src/store/schema-url.ts';
import { multiplyYear } from './support/year-multiplier.ts';

const PERSONS = Number(process.env.BENCH_COVERAGE_PERSONS ?? 300_000);
const log = (message: string) => process.stderr.write(`${message}\n`);
const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

async function main(): Promise<void> {
  console.log(`bench:coverage — machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start`);
  const base = execFileSync('bash', ['scripts/pg-local.sh'], { encoding: 'utf8' }).trim().replace(/\/sanbao_test$/, '/sanbao_bench');
  const schema = `bench_coverage_${PERSONS}`;
  const admin = await openPostgres(base, 1);
  const [kept] = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'enrollments'`, [schema]);
  const reuse = process.env.BENCH_KEEP === '1' && (kept?.n ?? 0) > 0;
  if (!reuse) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`CREATE SCHEMA ${schema}`);
  }
  await admin.close();
  const db = await openDatabase({ databaseUrl: schemaUrl(base, schema), poolSize: 2 });
  try {
    if (!reuse) {
      log(`loading a county of ${PERSONS.toLocaleString('en')} people…`);
      const t0 = performance.now();
      const loaded = Math.min(PERSONS, 10_000);
      const county = generateCounty({ ...FULL_DEMO, persons: loaded, year: 2025 });
      await loadCounty(db, loadPolicies(), county, { year: 2025, notEnrolledShare: 0.01 });
      await multiplyYear(db, Math.ceil(PERSONS / loaded), () => {});
      await db.query('VACUUM ANALYZE');
      log(`  loaded in ${s(performance.now() - t0)}`);
    }
    const [size] = await db.query<{ persons: number; villages: number; identities: number }>(
      `SELECT (SELECT count(*) FROM persons)::int AS persons, (SELECT count(DISTINCT division_code) FROM persons)::int AS villages, (SELECT count(*) FROM identities)::int AS identities`,
    );
    const floor = async () => {
      const t0 = performance.now();
      await db.query(
        `SELECT p.division_code, count(*), count(*) FILTER (WHERE e.status = 'enrolled')
         FROM persons p LEFT JOIN enrollments e ON e.person_id = p.id AND e.year = 2025 GROUP BY p.division_code`,
      );
      return performance.now() - t0;
    };
    const report = async () => {
      const t0 = performance.now();
      const r = await coverage(db, 2025, '513330');
      return { ms: performance.now() - t0, lines: r.lines.length, rate: r.lines[0]?.rate };
    };
    await floor(); // warm the cache
    let best = { floor: Infinity, report: Infinity, lines: 0, rate: undefined as unknown };
    for (let round = 1; round <= 3; round++) {
      const f = await floor();
      const r = await report();
      log(`  round ${round}: report ${s(r.ms)}, plain GROUP BY ${s(f)}`);
      best = { floor: Math.min(best.floor, f), report: Math.min(best.report, r.ms), lines: r.lines, rate: r.rate };
    }
    console.log(`county: ${size!.persons.toLocaleString('en')} people in ${size!.villages.toLocaleString('en')} villages, ${size!.identities.toLocaleString('en')} identities`);
    console.log(`plain GROUP BY (people by village, enrolled or not): ${s(best.floor)}`);
    console.log(`coverage report (${best.lines} lines, county rate ${String(best.rate)}): ${s(best.report)} = ${(best.report / best.floor).toFixed(2)}x the GROUP BY`);
    console.log(`(best of 3 rounds each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end)`);
  } finally {
    await db.close();
  }
}

await main();
