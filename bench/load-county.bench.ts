/**
 * `npm run bench:load-county`: loading a county in bulk (`loadCounty`, what
 * the demo and the realistic year of the benches start from) at two sizes on
 * the machine's PostgreSQL, each stage timed: a load that grows linearly takes
 * about SIZES[1]/SIZES[0] times as long at the larger size. The floor is the
 * same: the smaller county's time scaled by the ratio of sizes (linear growth).
 * Issue 18 found the contributions' posting quadratic (every pass over the
 * payments re-read the ones already posted, planned on statistics of empty
 * tables); this bench shows it stays linear.
 *
 * Settings (environment): BENCH_LOAD_SIZES ("20000,80000"), BENCH_SEED.
 */
import { cpus, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { FULL_DEMO, generateCounty } from '../src/demo/generate.ts';
import { loadCounty } from '../src/demo/load.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { openDatabase } from '../src/store/open.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { schemaUrl } from '../src/store/schema-url.ts';

const SIZES = (process.env.BENCH_LOAD_SIZES ?? '20000,80000').split(',').map(Number);
const SEED = Number(process.env.BENCH_SEED ?? 2025);
const log = (message: string) => process.stderr.write(`${message}\n`);

async function timeLoad(persons: number): Promise<{ total: number; stages: Map<string, number> }> {
  const base = execFileSync('bash', ['scripts/pg-local.sh'], { encoding: 'utf8' }).trim().replace(/\/sanbao_test$/, '/sanbao_bench');
  const schema = `bench_load_${persons}`;
  const admin = await openPostgres(base, 1);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = await openDatabase({ databaseUrl: schemaUrl(base, schema), poolSize: 2 });
  try {
    const county = generateCounty({ ...FULL_DEMO, persons, seed: SEED, year: 2025 });
    const stages = new Map<string, number>();
    let stage = '';
    let since = performance.now();
    const t0 = since;
    await loadCounty(db, loadPolicies(), county, {
      year: 2025,
      notEnrolledShare: 0.01,
      onProgress: (name, done, total) => {
        const now = performance.now();
        if (name !== stage) [stage, since] = [name, stages.has(name) ? now - stages.get(name)! : now];
        stages.set(name, now - since);
        if (done === total) log(`  ${persons.toLocaleString('en')} people: ${name} ${((now - since) / 1000).toFixed(1)} s`);
      },
    });
    return { total: performance.now() - t0, stages };
  } finally {
    await db.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:load-county — machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start`);
  const [small, large] = [SIZES[0]!, SIZES[1]!];
  const a = await timeLoad(small);
  const b = await timeLoad(large);
  const scale = large / small;
  for (const [name, ms] of b.stages) {
    const before = a.stages.get(name) ?? 0;
    console.log(`${name.padEnd(14)} ${(before / 1000).toFixed(2).padStart(7)} s at ${small.toLocaleString('en')} people, ${(ms / 1000).toFixed(2).padStart(7)} s at ${large.toLocaleString('en')}: ${before > 0 ? (ms / before).toFixed(1) : '–'}x (linear: ${scale.toFixed(1)}x)`);
  }
  console.log(`loadCounty in all: ${(a.total / 1000).toFixed(1)} s at ${small.toLocaleString('en')} people, ${(b.total / 1000).toFixed(1)} s at ${large.toLocaleString('en')} = ${(b.total / a.total).toFixed(1)}x the smaller (floor: linear growth, ${scale.toFixed(1)}x; ${(b.total / a.total / scale).toFixed(2)} of it)`);
  console.log(`(load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end)`);
}

await main();
