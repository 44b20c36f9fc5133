/**
 * `npm run bench:monitor`: the monthly monitoring run over a realistic year
 * (bench/support/realistic-year.ts: every bill settled through the service,
 * rows as wide as the API writes them) on the machine's PostgreSQL, against
 * the plain aggregate over the same rows (SELECT person_id, sum(self_pay) …
 * GROUP BY person_id), measured in the same run. Prints each time and its
 * ratio to the aggregate:
 *   - steady state: the December run after November's, as `sanbao monitor
 *     run` does it (real time raised its alerts; the run reads only the
 *     people changed since November's run), aim at most 0.5x;
 *   - first: the December run as `sanbao monitor run` does a year's first
 *     run (no run of the year before it: an incremental run with no earlier
 *     state, reading the year-to-date of everyone above a threshold) with
 *     every alert of the year new (alerts cleared, as after a bulk load), aim
 *     at most 1.5x;
 *   - beside them, the year's first run with real time's alerts in place, and
 *     the full recompute (`--full`) with real time's alerts in place.
 *
 * The moments real time stamps beside each change (the year-to-date's
 * updated_at, identities' created_at) are dated once as the generator dates
 * the changes themselves (bench/support/year-change-times.ts): otherwise
 * every person would look changed since every run.
 *
 * Settings (environment): BENCH_PERSONS (20000), BENCH_SETTLEMENTS (60000),
 * BENCH_LANES (4), BENCH_SEED, BENCH_KEEP=1 reuses the year made by an
 * earlier run of any bench on it (the alerts it clears are raised again by
 * the first run, so a kept year is still a realistic one).
 */
import { cpus, loadavg } from 'node:os';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { RUN_WORK_MEM, runMonthly, runWindow } from '../src/service/monitoring-run.ts';
import type { Db } from '../src/store/db.ts';
import { describeYear, openRealisticYear, yearOptionsFromEnv } from './support/realistic-year.ts';
import { stampYearChangeTimes } from './support/year-change-times.ts';

const MONTH = '2025-12';
const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** The plain aggregate; `heap`: read from the table's rows, as before the walk's covering index (which the aggregate reads too). */
async function aggregate(db: Db, heap = false): Promise<{ ms: number; persons: number }> {
  const w = runWindow(MONTH);
  // The same memory the run gives itself, so both aggregate in memory; the count keeps the groups off the wire.
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '${RUN_WORK_MEM}'`);
    if (heap) await tx.query('SET LOCAL enable_indexonlyscan = off');
    const t0 = performance.now();
    const rows = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT person_id, sum(self_pay) FROM settlements
         WHERE year = $1 AND settled_at < $2 AND (status = 'settled' OR reversed_at >= $2) GROUP BY person_id) t`,
      [w.year, w.cutoff],
    );
    return { ms: performance.now() - t0, persons: rows[0]!.n };
  });
}

const clearRuns = (db: Db) => db.query('TRUNCATE monitoring_runs');
/** December's run forgotten: the run before the next December run is November's. */
const clearDecember = (db: Db) => db.query(`DELETE FROM monitoring_runs WHERE month = $1`, [MONTH]);
const clearAlerts = (db: Db) => db.query('TRUNCATE alerts, monitoring_cases, case_events, outbox, monitoring_runs RESTART IDENTITY CASCADE');

async function main(): Promise<void> {
  const policies = loadPolicies();
  const options = yearOptionsFromEnv({ persons: 20_000, settlements: 60_000 });
  console.log(`bench:monitor — machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start`);
  const { db, summary } = await openRealisticYear(policies, options, log);
  for (const line of describeYear(summary)) console.log(line);
  try {
    await stampYearChangeTimes(db, 2025, log);
    log('warming the cache (one aggregate)…');
    await aggregate(db);
    const deps = { db, policies };
    // November's run: December's reads what changed since.
    await clearRuns(db);
    await runMonthly(deps, '2025-11', 'bench');
    type Millis = { recompute: number; cases: number; total: number };
    const parts = (m: Millis) => `raise ${seconds(m.recompute)}, cases and pushes ${seconds(m.cases)}, statistics ${seconds(m.total - m.recompute - m.cases)}`;
    let steady = Infinity;
    let steadyParts = '';
    let firstParts = '';
    let fullWarm = Infinity;
    let firstWarm = Infinity;
    let first = Infinity;
    let baseline = Infinity;
    let heapBaseline = Infinity;
    let groups = 0;
    let persons = { steady: 0, full: 0 };
    let raisedFirst = 0;
    for (let round = 1; round <= 2; round++) {
      log(`round ${round}: steady state (after November's run), full with real time's alerts, first with real time's alerts, plain aggregate…`);
      await clearDecember(db);
      const s = await runMonthly(deps, MONTH, 'bench');
      if (s.mode !== 'incremental') throw new Error(`expected an incremental run, got ${s.mode}`);
      const f = await runMonthly(deps, MONTH, 'bench', { full: true });
      await clearRuns(db);
      const w = await runMonthly(deps, MONTH, 'bench');
      await clearRuns(db);
      await runMonthly(deps, '2025-11', 'bench');
      const p = await aggregate(db);
      heapBaseline = Math.min(heapBaseline, (await aggregate(db, true)).ms);
      if (s.millis.total < steady) [steady, steadyParts] = [s.millis.total, parts(s.millis)];
      fullWarm = Math.min(fullWarm, f.millis.total);
      firstWarm = Math.min(firstWarm, w.millis.total);
      if (p.ms < baseline) [baseline, groups] = [p.ms, p.persons];
      persons = { steady: s.statistics.persons, full: f.statistics.persons };
      log(`  ${seconds(s.millis.total)} / ${seconds(f.millis.total)} / ${seconds(w.millis.total)} / ${seconds(p.ms)}`);
    }
    for (let round = 1; round <= 2; round++) {
      log(`round ${round}: first (the year's first run, every alert of the year new)…`);
      await clearAlerts(db);
      const a = await runMonthly(deps, MONTH, 'bench');
      if (a.mode !== 'incremental') throw new Error(`expected an incremental run, got ${a.mode}`);
      const p = await aggregate(db);
      if (a.millis.total < first) [first, raisedFirst, firstParts] = [a.millis.total, a.statistics.raisedByRun, parts(a.millis)];
      if (p.ms < baseline) [baseline, groups] = [p.ms, p.persons];
      log(`  ${seconds(a.millis.total)} (${a.statistics.raisedByRun} alerts raised) / ${seconds(p.ms)}`);
    }
    // Leave the year as real time left it: every alert raised again (by the first run), December's run done.
    if (persons.steady !== persons.full) throw new Error(`the incremental run counted ${persons.steady} people, the full run ${persons.full}`);
    console.log(`plain aggregate (SELECT person_id, sum(self_pay) … GROUP BY person_id, same rows): ${seconds(baseline)} (${groups.toLocaleString('en')} people)`);
    console.log(`  (the same aggregate from the table's rows, as it read before settlements_person_year covered the walk: ${seconds(heapBaseline)}; the run against it: steady ${(steady / heapBaseline).toFixed(2)}x, first ${(first / heapBaseline).toFixed(2)}x)`);
    console.log(`monthly run, steady state (${MONTH} after November's run, reading what changed since): ${seconds(steady)} = ${(steady / baseline).toFixed(2)}x the aggregate (aim ≤ 0.5x) ${steady / baseline <= 0.5 ? 'met' : 'MISSED'}; ${steadyParts}`);
    console.log(`monthly run, first (the year's first run, ${raisedFirst.toLocaleString('en')} alerts new): ${seconds(first)} = ${(first / baseline).toFixed(2)}x (aim ≤ 1.5x) ${first / baseline <= 1.5 ? 'met' : 'MISSED'}; ${firstParts}`);
    console.log(`monthly run, the year's first with real time's alerts in place: ${seconds(firstWarm)} = ${(firstWarm / baseline).toFixed(2)}x`);
    console.log(`monthly run, full recompute (--full) with real time's alerts in place: ${seconds(fullWarm)} = ${(fullWarm / baseline).toFixed(2)}x; it and the steady state count ${persons.full.toLocaleString('en')} people`);
    console.log(`(best of 2 rounds each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end)`);
  } finally {
    await db.close();
  }
}

await main();
