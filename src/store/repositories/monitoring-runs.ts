/**
 * The monthly statistical run in SQL: every person's yearly self-pay
 * recomputed from the settlements in one aggregate, the alerts real time
 * missed inserted by the same statement, and the month's statistics.
 */
import type { Queryable } from '../db.ts';
import { countedPersons, FULL_TOTALS, incrementalParams, incrementalTotals, type IncrementalReach } from './monitoring-totals.ts';
import { monthStatistics, type MonthStatistics } from './monitoring-statistics.ts';

export { monthStatistics, type MonthStatistics };

/** A threshold as the run's SQL takes it: the policy's region prefix and its routes. */
export interface RunThreshold {
  prefix: string;
  threshold_id: string;
  amount: number;
  identities: string[] | null;
  falling_back: string[];
  becoming_poor_routes: string[];
  falling_back_routes: string[];
}

export interface RunWindow {
  month: string;
  year: number;
  /** First instant after the month (Beijing time): settlements before it count. */
  cutoff: Date;
  /** The month's last day and the year's first, ISO dates, for identity validity. */
  lastDay: string;
  yearStart: string;
  monthStart: Date;
}

/** How a run finds each person's yearly self-pay: re-aggregating every settlement, or from the year-to-date real time keeps. */
export type RunMode = 'full' | 'incremental';

/**
 * How long before an earlier run read a later run reads changes from: a settlement whose transaction began before
 * that run's (its year-to-date's updated_at earlier) but committed after that run's snapshot was not seen by it.
 */
export const CHANGES_MARGIN = '1 hour';

/**
 * Recomputes and raises, set-based, by the same rule as real time (one rule,
 * SPEC §5 and `alertsFor`): a threshold is crossed by the bill that takes the
 * person's yearly self-pay from at or below it to above it, bills taken in the
 * order they were settled, each at what it stands at after any re-adjudication
 * (its settlement plus adjustments made before the cut-off); the identities
 * that count are those valid on that bill's visit date. The totals (FULL_TOTALS
 * or incrementalTotals, monitoring-totals.ts) find the people above the lowest
 * threshold — with `since`, only among the people changed since then (with
 * `trusted`, only those whose change real time did not judge: realtimeTrusted);
 * only their bills are walked in order. Returns the alerts raised and the number
 * of people with settlements (an incremental run counts them from the
 * year-to-dates: countedPersons).
 */
export async function raiseMissedAlerts(
  q: Queryable,
  w: RunWindow,
  thresholds: readonly RunThreshold[],
  mode: RunMode = 'full',
  since: Date | null = null,
  trusted = false,
): Promise<{ persons: number; raised: number }> {
  const lowest = Math.min(...thresholds.map((t) => t.amount));
  const reach: IncrementalReach = since === null ? 'first' : trusted ? 'trusted' : 'changed';
  const prefixes = [...new Set(thresholds.map((t) => t.prefix))];
  // The thresholds each person passes with no alert yet, kept in a table of the run's transaction (dropped at its
  // commit) and analysed: the walk below then knows how many people it walks, a few after real time (an index probe
  // each) or thousands on a first run over a bulk-loaded year (one pass over the year's bills), and plans for it.
  await q.query(
    `CREATE TEMP TABLE IF NOT EXISTS monitoring_open (person_id bigint, prefix text, threshold_id text, amount bigint, identities text[],
       falling_back text[], becoming_poor_routes text[], falling_back_routes text[]) ON COMMIT DROP`,
  );
  await q.query('TRUNCATE monitoring_open');
  const [found] = await q.query<{ persons: number }>(
    `WITH ${mode === 'full' ? FULL_TOTALS : incrementalTotals(reach)}, thresholds AS (
       SELECT * FROM jsonb_to_recordset($5::jsonb) AS x(prefix text, threshold_id text, amount bigint, identities text[],
         falling_back text[], becoming_poor_routes text[], falling_back_routes text[])
     ), unalerted AS MATERIALIZED (
       -- Thresholds the year's total passes and no alert holds yet (real time raised most already): the year's alerts
       -- read once and hashed (NOT IN: a hashed subplan, never a probe per person and threshold; neither side is ever
       -- null; hashed while they fit the run's work_mem, RUN_WORK_MEM), before any person is read. A threshold for
       -- some identities only for people who hold one of them
       -- (totals.holds) — most people above such a threshold without its alert hold none.
       SELECT t.person_id, th.*
       FROM totals t JOIN thresholds th ON t.self_pay > th.amount
       WHERE t.self_pay > $3 AND (th.identities IS NULL OR t.holds)
         AND (t.person_id, th.threshold_id) NOT IN (SELECT a.person_id, a.threshold_id FROM alerts a WHERE a.year = $1)
     ), passed AS MATERIALIZED (
       -- Of those for some identities, the person holds one of that threshold's some day of the year (on the crossing
       -- bill's date, checked below). Only these need the walk.
       SELECT u.* FROM unalerted u
       WHERE u.identities IS NULL OR EXISTS (SELECT 1 FROM identities i WHERE i.person_id = u.person_id AND i.ended_at IS NULL
               AND i.identity = ANY (u.identities) AND i.valid_from <= $7::date AND (i.valid_to IS NULL OR i.valid_to >= $6::date))
     ), candidates AS MATERIALIZED (
       -- Each of their divisions by its key (a scalar subquery: never a hash of every person of the county).
       SELECT c.person_id,
         (SELECT x.prefix FROM unnest($4::text[]) AS x(prefix) WHERE c.division_code LIKE x.prefix || '%'
          ORDER BY length(x.prefix) DESC LIMIT 1) AS prefix
       FROM (SELECT d.person_id, (SELECT p.division_code FROM persons p WHERE p.id = d.person_id) AS division_code
             FROM (SELECT DISTINCT person_id FROM passed) d) c
     ), open AS (
       -- Those of the thresholds of the person's region.
       INSERT INTO monitoring_open
       SELECT o.person_id, o.prefix, o.threshold_id, o.amount, o.identities, o.falling_back, o.becoming_poor_routes, o.falling_back_routes
       FROM passed o JOIN candidates c ON c.person_id = o.person_id AND c.prefix = o.prefix
       RETURNING 1
     )
     SELECT ${mode === 'full' ? '(SELECT count(*)::int FROM totals)' : countedPersons(reach)} AS persons, (SELECT count(*)::int FROM open) AS open`,
    [
      w.year, w.cutoff, lowest, prefixes, JSON.stringify(thresholds), w.yearStart, `${w.year}-12-31`,
      ...(mode === 'incremental' ? [...incrementalParams(thresholds), ...(since ? [since] : [])] : []),
    ],
  );
  await q.query('ANALYZE monitoring_open');
  const rows = await q.query<{ raised: number }>(
    `WITH adj AS MATERIALIZED (
       SELECT a.settlement_id, sum(a.self_pay_fen) AS self_pay
       FROM settlement_adjustments a WHERE a.year = $1 AND a.created_at < $2 GROUP BY a.settlement_id
     ), walkers AS MATERIALIZED (
       SELECT DISTINCT person_id FROM monitoring_open
     ), bills AS MATERIALIZED (
       -- Their bills in settlement order, each person's running total of the year.
       SELECT s.person_id, s.id, s.visit_id, s.self_pay + coalesce(adj.self_pay, 0) AS self_pay,
         sum(s.self_pay + coalesce(adj.self_pay, 0)) OVER (PARTITION BY s.person_id ORDER BY s.id) AS after
       FROM walkers w JOIN settlements s ON s.person_id = w.person_id LEFT JOIN adj ON adj.settlement_id = s.id
       WHERE s.year = $1 AND s.settled_at < $2 AND (s.status = 'settled' OR s.reversed_at >= $2)
     ), crossings AS MATERIALIZED (
       -- The bill's date as the engine settled it (for the identities valid on it) only of the bills that cross a threshold.
       -- The visit by its key (a scalar subquery): a few crossings never make the planner hash every visit of the year.
       SELECT c.*,
         coalesce((SELECT array_agg(i.identity) FROM identities i
                   WHERE i.person_id = c.person_id AND i.ended_at IS NULL
                     AND i.valid_from <= c.on_day AND (i.valid_to IS NULL OR i.valid_to >= c.on_day)), '{}') AS ids
       FROM (
         SELECT o.*, b.id AS settlement_id, b.after,
           (SELECT coalesce(v.bill_date, v.visit_date) FROM visits v WHERE v.id = b.visit_id) AS on_day
         FROM monitoring_open o JOIN bills b ON b.person_id = o.person_id AND b.after - b.self_pay <= o.amount AND b.after > o.amount
         OFFSET 0 -- not flattened: each crossing's visit read once, not once for each place on_day is used
       ) c
     ), inserted AS (
       INSERT INTO alerts (person_id, year, threshold_id, threshold_fen, yearly_self_pay, risk, departments, settlement_id, source, run_month)
       SELECT x.person_id, $1, x.threshold_id, x.amount, x.after,
         CASE WHEN x.ids && x.falling_back THEN 'falling_back' ELSE 'becoming_poor' END,
         CASE WHEN x.ids && x.falling_back THEN x.falling_back_routes ELSE x.becoming_poor_routes END,
         x.settlement_id, 'monthly', $3
       FROM crossings x WHERE x.identities IS NULL OR x.ids && x.identities
       ON CONFLICT (person_id, year, threshold_id) DO NOTHING
       RETURNING id
     )
     SELECT count(*)::int AS raised FROM inserted`,
    [w.year, w.cutoff, w.month],
  );
  return { persons: found?.persons ?? 0, raised: rows[0]?.raised ?? 0 };
}

/**
 * Records the run: its statistics, and what a later run needs to read only what changed since — when it read (its
 * transaction's start on the database's clock: now()), the cut-off it counted to, and the thresholds it applied.
 */
export async function saveRun(
  q: Queryable,
  stats: MonthStatistics,
  actor: string,
  startedAt: Date,
  mode: RunMode,
  w: RunWindow,
  thresholds: readonly RunThreshold[],
): Promise<void> {
  await q.query(
    `INSERT INTO monitoring_runs (month, started_at, finished_at, actor, persons, new_alerts, statistics, mode, read_at, cutoff, thresholds)
     VALUES ($1, $2, now(), $3, $4, $5, $6, $7, now(), $8, $9)
     ON CONFLICT (month) DO UPDATE SET started_at = $2, finished_at = now(), actor = $3, persons = $4,
       new_alerts = monitoring_runs.new_alerts + $5, statistics = $6, mode = $7, read_at = now(), cutoff = $8, thresholds = $9`,
    [stats.month, startedAt, actor, stats.persons, stats.raisedByRun, JSON.stringify(stats), mode, w.cutoff, JSON.stringify(thresholds)],
  );
}

/**
 * The instant a run of the month reads changes from, or null when it must read everyone above a threshold (the
 * year's first run, or the thresholds changed since). An earlier run of the year with a cut-off at or before this
 * one's and the same thresholds left every person it read with the alerts due at its cut-off; a person unchanged
 * since — no bill settled, reversed or corrected (which updates the year-to-date), no identity added or ended, the
 * record unchanged — since the earlier of its cut-off and when it read, less CHANGES_MARGIN, needs nothing new.
 */
export async function changesSince(q: Queryable, w: RunWindow, thresholds: readonly RunThreshold[]): Promise<Date | null> {
  const [row] = await q.query<{ since: Date }>(
    `SELECT least(r.cutoff, r.read_at) - $4::interval AS since FROM monitoring_runs r
     WHERE r.month LIKE $1 AND r.month <= $2 AND r.cutoff <= $5 AND r.read_at IS NOT NULL AND r.thresholds = $3::jsonb
     ORDER BY least(r.cutoff, r.read_at) DESC LIMIT 1`,
    [`${w.year}-%`, w.month, JSON.stringify(thresholds), CHANGES_MARGIN, w.cutoff],
  );
  return row?.since ?? null;
}

export async function findRun(q: Queryable, month: string): Promise<{ month: string; started_at: Date; finished_at: Date | null; actor: string; statistics: MonthStatistics } | undefined> {
  const rows = await q.query<{ month: string; started_at: Date; finished_at: Date | null; actor: string; statistics: MonthStatistics }>(
    'SELECT month, started_at, finished_at, actor, statistics FROM monitoring_runs WHERE month = $1',
    [month],
  );
  return rows[0];
}

export async function listRuns(q: Queryable, limit = 24): Promise<{ month: string; finished_at: Date | null; actor: string; persons: number; new_alerts: number; mode: RunMode }[]> {
  return q.query('SELECT month, finished_at, actor, persons, new_alerts, mode FROM monitoring_runs ORDER BY month DESC LIMIT $1', [limit]);
}
