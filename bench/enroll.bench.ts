/**
 * Enrollment at county scale: `npm run bench:enroll`.
 *
 * On PostgreSQL (BENCH_DATABASE_URL, default the local sanbao_bench database
 * that `bash scripts/pg-local.sh` creates), in a fresh schema dropped at the
 * end: loads a synthetic county of 100,000 people (not timed), then times
 *   1. importing a 100,000-row identity roster (CSV: parse, check every row,
 *      stage, add identities, audit),
 *   2. importing the same roster again (must change nothing: a no-op, so
 *      its time is printed and no rate — there is nothing done to divide),
 *   3. opening the yearly campaign for all 100,000 people (contribution,
 *      best subsidy, individual part, written in one statement).
 * Prints rows per second and seconds for 1 and 3, seconds for 2. Aim: 1 and 3 each under 10 s.
 *
 * Options (environment): BENCH_DATABASE_URL, BENCH_PERSONS (default 100000).
 */
import { FULL_DEMO, generateCounty } from '../src/demo/generate.ts';
import { loadCounty } from '../src/demo/load.ts';
import { formatYuan } from '../src/domain/money.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { openCampaign } from '../src/service/enrollment-campaign.ts';
import { importRoster } from '../src/service/roster-import.ts';
import { openBenchSchema } from './support/bench-schema.ts';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 100_000);
const YEAR = 2025;

const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function main(): Promise<void> {
  const bench = await openBenchSchema();
  const { db } = bench;
  const policies = loadPolicies();
  try {
    console.log(`enrollment bench on PostgreSQL (${bench.where})`);
    let t = performance.now();
    const county = generateCounty({ ...FULL_DEMO, persons: PERSONS, year: YEAR });
    // The year before the policy's: people, households and identities, no enrollments yet.
    await loadCounty(db, policies, county, { year: YEAR - 1 });
    await db.query('ANALYZE');
    console.log(`setup: ${fmt(county.persons.length)} people in ${fmt(county.households.length)} households, ${fmt(county.identities.length)} identities (${((performance.now() - t) / 1000).toFixed(1)} s, not timed)`);

    const header = '身份证号,姓名,行政区划,起始日期';
    const csv = Buffer.from([header, ...county.persons.map((p) => `${p.idNumber},${p.name},${p.divisionCode},2025-01-01`)].join('\n'), 'utf8');
    const roster = {
      mode: 'replace' as const, department: 'rural_revitalization' as const, identity: 'low_income_transition' as const, validFrom: '2025-01-01', validTo: null,
      division: '513330', fileName: 'bench-roster.csv', format: 'csv' as const, content: csv, skipBadRows: false, actor: 'bench',
    };

    t = performance.now();
    const imported = await importRoster(db, roster);
    const importSeconds = (performance.now() - t) / 1000;
    console.log(`roster import:   ${fmt(imported.rowsImported)} rows in ${importSeconds.toFixed(2)} s = ${fmt(imported.rowsImported / importSeconds)} rows/s ` +
      `(${fmt(imported.added)} identities added, ${(csv.length / 1_048_576).toFixed(1)} MiB CSV)`);

    t = performance.now();
    const again = await importRoster(db, roster);
    const againSeconds = (performance.now() - t) / 1000;
    // The same file again is recognised and changes nothing: a no-op has a time, not a rate.
    const noOp = again.alreadyImported || (again.added === 0 && again.ended === 0);
    console.log(`roster re-import: ${noOp ? 'no-op' : 'NOT a no-op'} in ${againSeconds.toFixed(2)} s, no rate printed ` +
      `(already imported: ${again.alreadyImported}, ${again.added} added, ${again.ended} ended)`);

    t = performance.now();
    const campaign = await openCampaign(db, policies, { year: YEAR, division: '513330', actor: 'bench' });
    const campaignSeconds = (performance.now() - t) / 1000;
    const people = campaign.created + campaign.updated + campaign.kept;
    console.log(`campaign open:   ${fmt(people)} people in ${campaignSeconds.toFixed(2)} s = ${fmt(people / campaignSeconds)} people/s ` +
      `(${fmt(campaign.created)} enrollments created, ${campaign.policies.join(', ')})`);

    const [check] = await db.query<{ n: number; subsidy: number }>(
      'SELECT count(*)::int AS n, sum(subsidy_fen)::bigint AS subsidy FROM enrollments WHERE year = $1',
      [YEAR],
    );
    console.log(`check: ${fmt(check!.n)} enrollments, subsidies ${formatYuan(check!.subsidy)} yuan paid on behalf`);
    const ok = importSeconds < 10 && campaignSeconds < 10;
    console.log(ok ? 'aim met: roster import and campaign each under 10 s' : 'aim missed: a stage took 10 s or more');
  } finally {
    await bench.drop();
  }
}

await main();
