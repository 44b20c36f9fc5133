/**
 * The monthly monitoring run (Haixi: a statistical run in the middle of each
 * month): recompute every person's yearly self-pay up to the end of the month,
 * raise what real time missed (source 'monthly') with their cases and pushes,
 * and record the month's statistics. One transaction; re-running a month
 * raises nothing twice.
 *
 * Incremental by default: a run reads what real time keeps (each person's
 * year-to-date self-pay) and only the bills of the people who can need an
 * alert, instead of re-aggregating every settlement of the year. The year's
 * first run reads everyone whose year-to-date is above a threshold (an
 * incremental run with no earlier state); a later one only the people changed
 * since the run before it (`changesSince`) — and, where real time recorded
 * judging the year with the run's own thresholds (`realtimeTrusted`), only
 * those of them whose change real time did not judge: a reversal, an
 * adjustment, an identity or their record changed. `full` recomputes from the
 * settlements alone (`sanbao monitor run --full`). All raise the same alerts
 * and count the same people (test/monitoring-incremental*.test.ts).
 */
import { unprocessable } from '../domain/errors.ts';
import { parseMonth } from '../domain/monitoring/month.ts';
import { regionPrefix, type PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { openCasesForAlerts } from '../store/repositories/cases.ts';
import {
  monthStatistics,
  changesSince,
  raiseMissedAlerts,
  saveRun,
  type RunMode,
  type MonthStatistics,
  type RunThreshold,
  type RunWindow,
} from '../store/repositories/monitoring-runs.ts';
import { realtimeTrusted } from '../store/repositories/realtime-thresholds.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export interface MonitoringDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
}

/** The advisory lock a run holds (lockInSchema): one run at a time in a schema. */
export const MONITORING_RUN_LOCK = 'monitoring.run';
/** Memory for the run's one big GROUP BY, so a county's million people aggregate in memory rather than spill to disk. */
export const RUN_WORK_MEM = '256MB';

/** The month's window, in Beijing time (UTC+8), where the bureaus' months begin and end. */
export function runWindow(month: string): RunWindow {
  const span = parseMonth(month);
  const cutoff = new Date(`${span.end}T00:00:00+08:00`);
  const lastDay = new Date(cutoff.getTime() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  return { month, year: span.year, cutoff, lastDay, yearStart: `${span.year}-01-01`, monthStart: new Date(`${span.start}T00:00:00+08:00`) };
}

/** Every monitoring threshold of the year's policies, with the region each applies to. */
export function runThresholds(policies: PolicyRegistry, year: number): RunThreshold[] {
  return policies
    .list()
    .filter((p) => p.year === year)
    .flatMap((p) =>
      p.monitoring.thresholds.map((t) => ({
        prefix: regionPrefix(p.region.code),
        threshold_id: t.id,
        amount: t.amount,
        identities: t.identities ? [...t.identities] : null,
        falling_back: [...p.monitoring.fallingBackIdentities],
        becoming_poor_routes: [...p.monitoring.routes.becoming_poor],
        falling_back_routes: [...p.monitoring.routes.falling_back],
      })),
    );
}

/**
 * Whom a run read: everyone (`full`); everyone above a threshold (`first`: the year's first run, or thresholds changed
 * since the run before); only the people changed since the run before (`changed`); only those of them whose change
 * real time did not judge (`trusted`: real time recorded judging the year with the run's thresholds alone).
 */
export type RunPath = 'full' | 'first' | 'changed' | 'trusted';

export interface RunOutcome {
  readonly statistics: MonthStatistics;
  readonly mode: RunMode;
  readonly path: RunPath;
  readonly casesOpened: number;
  readonly millis: { readonly recompute: number; readonly cases: number; readonly total: number };
}

export interface RunOptions {
  /** Recompute every person's yearly self-pay from the settlements, not from the year-to-date. */
  readonly full?: boolean | undefined;
}

export async function runMonthly(deps: MonitoringDeps, month: string, actor: string, options: RunOptions = {}): Promise<RunOutcome> {
  const window = runWindow(month);
  const thresholds = runThresholds(deps.policies, window.year);
  if (thresholds.length === 0) throw unprocessable('NO_POLICY', `no policy covers ${window.year}`, 'month');
  const startedAt = new Date();
  const t0 = performance.now();
  return deps.db.transaction(async (tx) => {
    await lockInSchema(tx, MONITORING_RUN_LOCK);
    await tx.query(`SET LOCAL work_mem = '${RUN_WORK_MEM}'`);
    // The walk over candidates' bills is a nested loop the planner over-costs; JIT compiling it costs more than it saves.
    await tx.query('SET LOCAL jit = off');
    const mode: RunMode = options.full ? 'full' : 'incremental';
    const since = mode === 'incremental' ? await changesSince(tx, window, thresholds) : null;
    // Past the year's first run, real time's alerts stand for the bills it settled since when it judged them with the run's thresholds.
    const trusted = since !== null && (await realtimeTrusted(tx, window.year, JSON.stringify(thresholds)));
    const path: RunPath = mode === 'full' ? 'full' : since === null ? 'first' : trusted ? 'trusted' : 'changed';
    const found = await raiseMissedAlerts(tx, window, thresholds, mode, since, trusted);
    const { raised, persons } = found;
    const recompute = performance.now() - t0;
    // Thousands of new alerts (a first run over a bulk-loaded year): the planner must see them, or it joins them to themselves in a loop.
    if (raised > 500) await tx.query('ANALYZE alerts');
    const casesOpened = raised > 0 ? await openCasesForAlerts(tx, { runMonth: month }) : 0;
    const cases = performance.now() - t0 - recompute;
    const statistics = await monthStatistics(tx, window, persons, raised);
    await saveRun(tx, statistics, actor, startedAt, mode, window, thresholds);
    await audit(tx, { actor, action: 'monitoring.run', entity: 'monitoring_run', entityId: month, detail: { persons, raised, casesOpened, mode, path } });
    return { statistics, mode, path, casesOpened, millis: { recompute, cases, total: performance.now() - t0 } };
  });
}
