/**
 * `npm run bench:monitor`: the monthly monitoring run over a realistic year
 * (bench/support/realistic-year.ts: every bill settled through the service,
 * rows as wide as the API writes them) on the machine's PostgreSQL, against
 * the plain aggregate over the same rows (SELECT person_id, sum(self_pay) …
 * GROUP BY person_id), measured in the same run. Prints each time and its
 * ratio to the aggregate:
 *   - steady state: the December run after November's, as `sanbao monitor
 *     run` does it (real time raised its alerts; the run reads only the
 *     people changed since November's run — where real time recorded
 *     judging the year with the run's thresholds, only those with a reversal,
 *     an adjustment, an identity or record changed since: path `trusted`),
 *     aim at most 0.5x; beside it, in alternate order, the same run with the
 *     year marked untrusted (path `changed`, as before the trust);
 *   - first: the December run as `sanbao monitor run` does a year's first
 *     run (no run of the year before it: an incremental run with no earlier
 *     state, reading the year-to-date of everyone above a threshold) over the
 *     year as real time left it (every bill settled through the settle path,
 *     which raised its alerts, cases and pushes; the multiplied copies carry
 *     theirs), aim at most 1.5x;
 *   - beside them, the year's first run with no alert in place (a year
 *     imported without real time, or thresholds changed: every alert of the
 *     year new, written by the run with its case, event and pushes), and the
 *     full recompute (`--full`) with real time's alerts in place.
 *
 * The moments real time stamps beside each change (the year-to-date's
 * updated_at, identities' created_at) are dated once as the generator dates
 * the changes themselves (bench/support/year-change-times.ts): otherwise
 * every person would look changed since every run.
 *
 * Each figure is printed twice: the wall time (best of the rounds) and the
 * CPU time of the one database backend that serves the runs and the
 * aggregate (mean of the rounds, from /proc), each with its ratio to the
 * aggregate's; the aims are judged on the CPU ratio, which a machine loaded by
 * other work leaves standing (counted in ticks of 10 ms: telling from about
 * 100,000 bills up). The writes of the run with no alert in place are
 * set beside their floor: the same rows written by a plain INSERT … SELECT
 * into tables like theirs (same indexes, no foreign keys).
 *
 * Settings (environment): BENCH_PERSONS (20000), BENCH_SETTLEMENTS (60000),
 * BENCH_ROUNDS (3),
 * BENCH_LANES (4), BENCH_SEED, BENCH_KEEP=1 reuses the year made by an
 * earlier run of any bench on it (real time's alerts, cases, events and
 * pushes are set aside before the run with no alert in place and put back
 * after it, so a kept year stays as real time left it).
 */
import { cpus, loadavg } from 'node:os';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { RUN_WORK_MEM, runMonthly, runThresholds, runWindow } from '../src/service/monitoring-run.ts';
import type { Db } from '../src/store/db.ts';
import { openDatabase } from '../src/store/open.ts';
import { describeYear, openRealisticYear, yearOptionsFromEnv } from './support/realistic-year.ts';
import { processSeconds } from './support/proc-cpu.ts';
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
    // One process: the CPU measured is the backend's alone (the run's statements write, so they never run in parallel).
    await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
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
const WRITTEN = ['alerts', 'monitoring_cases', 'case_events', 'outbox'] as const;
const aside = (table: string) => `bench_aside_${table}`;
/**
 * Real time's alerts, cases, events and pushes set aside in tables of the year's schema, and every alert cleared, as
 * after a bulk load: the next first run writes every alert of the year.
 */
async function setAlertsAside(db: Db): Promise<void> {
  for (const table of WRITTEN) {
    await db.query(`DROP TABLE IF EXISTS ${aside(table)}`);
    await db.query(`CREATE TABLE ${aside(table)} AS TABLE ${table}`);
  }
  await clearAlerts(db);
}
const clearAlerts = (db: Db) => db.query(`TRUNCATE ${WRITTEN.join(', ')}, monitoring_runs CASCADE`);
/** Real time's rows put back (also after an interrupted run: the aside tables are dropped only once they are back). */
async function putAlertsBack(db: Db): Promise<void> {
  const [kept] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1`, [aside('outbox')]);
  if (!kept?.n) return;
  await db.transaction(async (tx) => {
    await tx.query(`TRUNCATE ${WRITTEN.join(', ')}, monitoring_runs CASCADE`);
    // Rows already checked when real time wrote them: their foreign keys are not checked again.
    await tx.query('SET LOCAL session_replication_role = replica');
    for (const table of WRITTEN) await tx.query(`INSERT INTO ${table} TABLE ${aside(table)}`);
  });
  for (const table of WRITTEN) await db.query(`DROP TABLE ${aside(table)}`);
  await db.query(`VACUUM ANALYZE ${WRITTEN.join(', ')}`);
}

/** "1.23x", or "–" where the floor took no measurable time (a small year: CPU counts in ticks of 10 ms). */
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : '–');

/**
 * Wall time (best of the rounds) and the CPU time of the one backend serving the runs (mean of the rounds, from
 * /proc: on a loaded machine the wall time says more about the other processes than about the run).
 */
class Meter {
  private readonly wall = new Map<string, number>();
  private readonly cpu = new Map<string, number[]>();
  constructor(private readonly pid: number) {}
  async measure<T>(name: string, fn: () => Promise<T>, ms?: (result: T) => number): Promise<T> {
    const c0 = processSeconds(this.pid);
    const t0 = performance.now();
    const result = await fn();
    const wall = ms ? ms(result) : performance.now() - t0;
    this.wall.set(name, Math.min(this.wall.get(name) ?? Infinity, wall));
    this.cpu.set(name, [...(this.cpu.get(name) ?? []), (processSeconds(this.pid) - c0) * 1000]);
    return result;
  }
  best(name: string): number {
    return this.wall.get(name)!;
  }
  cpuMean(name: string): number {
    const xs = this.cpu.get(name)!;
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  }
  /** The fewest and most CPU milliseconds of the rounds, "140–160". */
  cpuRange(name: string): string {
    const xs = this.cpu.get(name)!;
    return `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
  }
  /** "0.245 s = 1.22x the aggregate; CPU 150 ms (140–160 ms) = 0.88x". */
  figure(name: string, base = 'aggregate'): string {
    return `${seconds(this.best(name))} = ${ratio(this.best(name), this.best(base))}; CPU ${this.cpuMean(name).toFixed(0)} ms (rounds ${this.cpuRange(name)} ms) = ${ratio(this.cpuMean(name), this.cpuMean(base))}`;
  }
  /** Met when the CPU ratio (the figure a loaded machine leaves standing) is within the aim. */
  aim(name: string, aim: number): string {
    return `(aim ≤ ${aim}x) ${this.cpuMean(name) / this.cpuMean('aggregate') <= aim ? 'met' : 'MISSED'}`;
  }
}

/**
 * The floor of a first run's writes: the rows it wrote (alerts, cases, events, pushes), written again by a plain
 * INSERT … SELECT into tables like theirs (the same columns, defaults and indexes, no foreign keys), rolled back.
 */
async function plainWrites(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of WRITTEN) await tx.query(`CREATE TEMP TABLE plain_${table} (LIKE ${table} INCLUDING ALL) ON COMMIT DROP`);
    for (const table of WRITTEN) await tx.query(`INSERT INTO plain_${table} TABLE ${table}`);
    throw new RolledBack();
  }).catch((error: unknown) => {
    if (!(error instanceof RolledBack)) throw error;
  });
}
class RolledBack extends Error {}

async function main(): Promise<void> {
  const policies = loadPolicies();
  const options = yearOptionsFromEnv({ persons: 20_000, settlements: 60_000 });
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  console.log(`bench:monitor — machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start`);
  const year = await openRealisticYear(policies, options, log);
  for (const line of describeYear(year.summary)) console.log(line);
  await year.db.close();
  // One connection for everything measured: its backend's CPU is the runs' and the aggregate's.
  const db = await openDatabase({ databaseUrl: year.url, poolSize: 1 });
  try {
    const [backend] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const meter = new Meter(backend!.pid);
    await stampYearChangeTimes(db, 2025, log);
    await putAlertsBack(db);
    const [realTime] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts WHERE source = 'realtime'`);
    if (!realTime?.n) throw new Error(`no alert of real time in the year (a year kept by an older bench:monitor, which cleared them): make it again without BENCH_KEEP=1`);
    log('warming the cache (one aggregate)…');
    await aggregate(db);
    const deps = { db, policies };
    // November's run: December's reads what changed since.
    await clearRuns(db);
    await runMonthly(deps, '2025-11', 'bench');
    type Millis = { recompute: number; cases: number; total: number };
    const parts = (m: Millis) => `raise ${seconds(m.recompute)}, cases and pushes ${seconds(m.cases)}, statistics ${seconds(m.total - m.recompute - m.cases)}`;
    const partsOf = new Map<string, { total: number; parts: string }>();
    const keepParts = (name: string, m: Millis) => {
      if (m.total < (partsOf.get(name)?.total ?? Infinity)) partsOf.set(name, { total: m.total, parts: parts(m) });
    };
    const run = async (name: string, month: string, full = false) => {
      const outcome = await meter.measure(name, () => runMonthly(deps, month, 'bench', { full }), (o) => o.millis.total);
      keepParts(name, outcome.millis);
      return outcome;
    };
    let groups = 0;
    let persons = { steady: 0, full: 0 };
    // The steady state as it runs (trusting real time where it recorded the run's thresholds), and with the year marked
    // untrusted (every person changed since November's run read, as before real time recorded them), alternately.
    const paths = { steady: new Set<string>(), untrusted: new Set<string>() };
    const raisedBy = { steady: 0, untrusted: 0 };
    const steadyUntrusted = async () => {
      await db.query(`INSERT INTO monitoring_untrusted_years (year, reason) VALUES (2025, 'bench: the steady state untrusted') ON CONFLICT DO NOTHING`);
      try {
        await clearDecember(db);
        const u = await run('steady untrusted', MONTH);
        paths.untrusted.add(u.path);
        raisedBy.untrusted += u.statistics.raisedByRun;
      } finally {
        await db.query('DELETE FROM monitoring_untrusted_years WHERE year = 2025');
      }
    };
    let raisedBulk = 0;
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round}: steady state (after November's run), full, first (real time's alerts in place), plain aggregate…`);
      if (round % 2 === 0) await steadyUntrusted();
      await clearDecember(db);
      const s = await run('steady', MONTH);
      if (s.mode !== 'incremental') throw new Error(`expected an incremental run, got ${s.mode}`);
      paths.steady.add(s.path);
      raisedBy.steady += s.statistics.raisedByRun;
      if (round % 2 === 1) await steadyUntrusted();
      const f = await run('full', MONTH, true);
      await clearRuns(db);
      const w = await run('first', MONTH);
      await clearRuns(db);
      await runMonthly(deps, '2025-11', 'bench');
      const p = await meter.measure('aggregate', () => aggregate(db), (a) => a.ms);
      await meter.measure('heap aggregate', () => aggregate(db, true), (a) => a.ms);
      groups = p.persons;
      persons = { steady: s.statistics.persons, full: f.statistics.persons };
      log(`  ${seconds(s.millis.total)} / ${seconds(f.millis.total)} / ${seconds(w.millis.total)} / ${seconds(p.ms)}`);
    }
    log("setting real time's alerts, cases, events and pushes aside…");
    await setAlertsAside(db);
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round}: first with no alert in place (every alert of the year new), the same rows written plainly…`);
      await clearAlerts(db);
      const a = await run('bulk', MONTH);
      if (a.mode !== 'incremental') throw new Error(`expected an incremental run, got ${a.mode}`);
      raisedBulk = a.statistics.raisedByRun;
      await meter.measure('plain writes', () => plainWrites(db));
      const p = await meter.measure('aggregate', () => aggregate(db), (x) => x.ms);
      log(`  ${seconds(a.millis.total)} (${a.statistics.raisedByRun} alerts raised) / ${seconds(p.ms)}`);
    }
    // Leave the year as real time left it.
    log("putting real time's alerts back…");
    await putAlertsBack(db);
    if (persons.steady !== persons.full) throw new Error(`the incremental run counted ${persons.steady} people, the full run ${persons.full}`);
    const extra = (name: string) => meter.cpuMean(name) - meter.cpuMean('first');
    console.log(`plain aggregate (SELECT person_id, sum(self_pay) … GROUP BY person_id, same rows): ${seconds(meter.best('aggregate'))}; CPU ${meter.cpuMean('aggregate').toFixed(0)} ms (rounds ${meter.cpuRange('aggregate')} ms; ${groups.toLocaleString('en')} people)`);
    console.log(`  (the same aggregate from the table's rows, as it read before settlements_person_year covered the walk: ${meter.figure('heap aggregate')})`);
    const [recorded] = await db.query<{ sets: number; same: boolean | null }>(
      `SELECT count(*)::int AS sets, bool_and(thresholds = $1::jsonb) AS same FROM realtime_thresholds WHERE year = 2025`,
      [JSON.stringify(runThresholds(policies, 2025))],
    );
    const trust = recorded?.sets ? `${recorded.sets} set(s) of thresholds recorded by real time for 2025, ${recorded.same ? "all the run's" : "not all the run's"}` : 'no thresholds recorded by real time for 2025 (a year made before real time recorded them: make it again)';
    console.log(`monthly run, steady state (${MONTH} after November's run, path ${[...paths.steady].join('/')}: ${trust}): ${meter.figure('steady')} ${meter.aim('steady', 0.5)}; ${partsOf.get('steady')!.parts}; ${raisedBy.steady} alerts raised over the rounds`);
    console.log(`  the same with the year marked untrusted (path ${[...paths.untrusted].join('/')}: every person changed since November's run read, as before): ${meter.figure('steady untrusted')}; ${partsOf.get('steady untrusted')!.parts}; ${raisedBy.untrusted} alerts raised over the rounds`);
    console.log(`monthly run, first (the year's first run over the year as real time left it, its alerts in place): ${meter.figure('first')} ${meter.aim('first', 1.5)}; ${partsOf.get('first')!.parts}`);
    console.log(`monthly run, the year's first with no alert in place (imported without real time, or thresholds changed; ${raisedBulk.toLocaleString('en')} alerts new): ${meter.figure('bulk')}; ${partsOf.get('bulk')!.parts}`);
    console.log(`  its writes (CPU beyond the first run with alerts in place) ${extra('bulk').toFixed(0)} ms; the same rows by a plain INSERT … SELECT (same indexes, no foreign keys): ${seconds(meter.best('plain writes'))}, CPU ${meter.cpuMean('plain writes').toFixed(0)} ms = ${ratio(extra('bulk'), meter.cpuMean('plain writes'))} that floor`);
    console.log(`monthly run, full recompute (--full) with real time's alerts in place: ${meter.figure('full')}; it and the steady state count ${persons.full.toLocaleString('en')} people`);
    console.log(`(wall: best of ${rounds} rounds; CPU: the backend's, mean of ${rounds} rounds; aims judged on CPU; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end)`);
  } finally {
    await db.close();
  }
}

await main();
