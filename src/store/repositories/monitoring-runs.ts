/**
 * The monthly statistical run in SQL: every person's yearly self-pay
 * recomputed from the settlements in one aggregate, the alerts real time
 * missed inserted by the same statement, and the month's statistics.
 */
import type { Queryable } from '../db.ts';

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

/** Every person's self-pay at the cut-off, from all the year's settlements: the bills' self-pay and, appended (no join per bill), their adjustments' change of it. */
const FULL_TOTALS = `totals AS MATERIALIZED (
       SELECT x.person_id, sum(x.self_pay) AS self_pay FROM (
         SELECT s.person_id, s.self_pay FROM settlements s
         WHERE s.year = $1 AND s.settled_at < $2 AND (s.status = 'settled' OR s.reversed_at >= $2)
         UNION ALL
         SELECT s.person_id, a.self_pay_fen FROM settlement_adjustments a JOIN settlements s ON s.id = a.settlement_id
         WHERE a.year = $1 AND a.created_at < $2 AND s.settled_at < $2 AND (s.status = 'settled' OR s.reversed_at >= $2)
       ) x GROUP BY x.person_id
     )`;

/**
 * The same totals, for the only people who can need an alert, from what real
 * time keeps: each person's year-to-date self-pay (accumulators) is the sum of
 * their settled bills' self-pay with all their adjustments (the engine adds
 * each bill's; a reversal or correction settles the year again and sets it to
 * what the year now adds up to). The total at the cut-off is that, less what
 * changed after the cut-off — read from those changes alone, never from a
 * person's other bills: bills settled after it (still settled), adjustments
 * made after it on bills settled before it, and, added back, bills settled
 * before it and reversed after it (with their adjustments made before it).
 * Only people above a threshold that can apply to them go on to the walk
 * ($8: the lowest threshold for everyone; $9: the identities some threshold
 * is restricted to).
 */
const INCREMENTAL_TOTALS = `late AS MATERIALIZED (
       SELECT x.person_id, sum(x.delta) AS delta FROM (
         SELECT c.person_id, c.delta FROM facilities f CROSS JOIN LATERAL (
           SELECT s.person_id, s.self_pay + coalesce((SELECT sum(a.self_pay_fen) FROM settlement_adjustments a WHERE a.settlement_id = s.id), 0) AS delta
           FROM settlements s WHERE s.facility_id = f.id AND s.settled_at >= $2 AND s.year = $1 AND s.status = 'settled'
           UNION ALL
           SELECT s.person_id, -(s.self_pay + coalesce((SELECT sum(a.self_pay_fen) FROM settlement_adjustments a WHERE a.settlement_id = s.id AND a.created_at < $2), 0))
           FROM settlements s WHERE s.facility_id = f.id AND s.reversed_at >= $2 AND s.settled_at < $2 AND s.year = $1
         ) c
         UNION ALL
         SELECT a.person_id, a.self_pay_fen FROM settlement_adjustments a JOIN settlements s ON s.id = a.settlement_id
         WHERE a.year = $1 AND a.created_at >= $2 AND s.settled_at < $2 AND s.status = 'settled'
       ) x GROUP BY x.person_id
     ), totals AS MATERIALIZED (
       SELECT t.person_id, t.self_pay FROM (
         -- Only year-to-dates above the lowest threshold, or changed after the cut-off, go on to the join (a few
         -- thousand of a county's people, not all of them hashed).
         SELECT y.person_id, y.self_pay - coalesce(l.delta, 0) AS self_pay
         FROM accumulators y LEFT JOIN late l ON l.person_id = y.person_id
         WHERE y.year = $1 AND (y.self_pay > $3 OR y.person_id IN (SELECT person_id FROM late))
       ) t
       WHERE t.self_pay > $3
         -- Above a threshold for everyone, or above one for some identities and holding one of them some day of the year.
         AND (t.self_pay > $8 OR EXISTS (SELECT 1 FROM identities i WHERE i.person_id = t.person_id AND i.ended_at IS NULL
               AND i.identity = ANY ($9::text[]) AND i.valid_from <= $7::date AND (i.valid_to IS NULL OR i.valid_to >= $6::date)))
     )`;

/**
 * Recomputes and raises, set-based, by the same rule as real time (one rule,
 * SPEC §5 and `alertsFor`): a threshold is crossed by the bill that takes the
 * person's yearly self-pay from at or below it to above it, bills taken in the
 * order they were settled, each at what it stands at after any re-adjudication
 * (its settlement plus adjustments made before the cut-off); the identities
 * that count are those valid on that bill's visit date. The totals (FULL_TOTALS
 * or INCREMENTAL_TOTALS) find the people above the lowest threshold; only
 * their bills are walked in order. Returns the alerts raised and, for a full
 * run, the number of people with settlements (an incremental run counts them
 * apart: `countPersons`).
 */
export async function raiseMissedAlerts(
  q: Queryable,
  w: RunWindow,
  thresholds: readonly RunThreshold[],
  mode: RunMode = 'full',
): Promise<{ persons: number; raised: number }> {
  const lowest = Math.min(...thresholds.map((t) => t.amount));
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
    `WITH ${mode === 'full' ? FULL_TOTALS : INCREMENTAL_TOTALS}, thresholds AS (
       SELECT * FROM jsonb_to_recordset($5::jsonb) AS x(prefix text, threshold_id text, amount bigint, identities text[],
         falling_back text[], becoming_poor_routes text[], falling_back_routes text[])
     ), candidates AS MATERIALIZED (
       -- Each candidate's division by its key (a scalar subquery: never a hash of every person of the county).
       SELECT c.person_id, c.self_pay,
         (SELECT x.prefix FROM unnest($4::text[]) AS x(prefix) WHERE c.division_code LIKE x.prefix || '%'
          ORDER BY length(x.prefix) DESC LIMIT 1) AS prefix
       FROM (SELECT t.person_id, t.self_pay, (SELECT p.division_code FROM persons p WHERE p.id = t.person_id) AS division_code
             FROM totals t WHERE t.self_pay > $3) c
     ), open AS (
       -- Thresholds the year's total passes and no alert holds yet (real time raised most already): only these need the walk.
       INSERT INTO monitoring_open
       SELECT c.person_id, th.*
       FROM candidates c JOIN thresholds th ON th.prefix = c.prefix AND c.self_pay > th.amount
       WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.person_id = c.person_id AND a.year = $1 AND a.threshold_id = th.threshold_id)
         -- A threshold for some identities needs one of them on some day of the year (on the crossing bill's date, checked below).
         AND (th.identities IS NULL OR EXISTS (SELECT 1 FROM identities i WHERE i.person_id = c.person_id AND i.ended_at IS NULL
               AND i.identity = ANY (th.identities) AND i.valid_from <= $7::date AND (i.valid_to IS NULL OR i.valid_to >= $6::date)))
       RETURNING 1
     )
     SELECT (SELECT count(*)::int FROM totals) AS persons, (SELECT count(*)::int FROM open) AS open`,
    [w.year, w.cutoff, lowest, prefixes, JSON.stringify(thresholds), w.yearStart, `${w.year}-12-31`, ...(mode === 'incremental' ? incrementalParams(thresholds) : [])],
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
       SELECT o.*, b.id AS settlement_id, b.after,
         coalesce((SELECT array_agg(i.identity) FROM identities i
                   WHERE i.person_id = b.person_id AND i.ended_at IS NULL
                     AND i.valid_from <= coalesce(v.bill_date, v.visit_date)
                     AND (i.valid_to IS NULL OR i.valid_to >= coalesce(v.bill_date, v.visit_date))), '{}') AS ids
       FROM monitoring_open o JOIN bills b ON b.person_id = o.person_id AND b.after - b.self_pay <= o.amount AND b.after > o.amount
         JOIN visits v ON v.id = b.visit_id
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
 * People with settlements counted at the cut-off (settled before it, not
 * reversed by then), without reading every bill: everyone with a year-to-date
 * row (real time makes one with the person's first bill), less those of them
 * whose bills are all settled after the cut-off or all reversed before it —
 * looked for only among people with a bill settled or reversed after the
 * cut-off, or no self-pay in their year-to-date.
 */
export async function countPersons(q: Queryable, w: RunWindow): Promise<number> {
  // Nothing changed after the cut-off, a person's year-to-date is their counting bills' sum: a self-pay above zero
  // proves such a bill without reading any. Only people with a change after it or no self-pay are looked up.
  const [row] = await q.query<{ n: number }>(
    `WITH late AS MATERIALIZED (
       SELECT c.person_id FROM facilities f CROSS JOIN LATERAL (
         SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.settled_at >= $2 AND s.year = $1
         UNION ALL
         SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.reversed_at >= $2 AND s.year = $1
       ) c
     ), year_to_date AS MATERIALIZED (
       SELECT y.person_id, y.self_pay FROM accumulators y WHERE y.year = $1
     ), doubtful AS (
       SELECT person_id FROM late
       UNION
       SELECT person_id FROM year_to_date WHERE self_pay = 0
     )
     SELECT ((SELECT count(*) FROM year_to_date)
       - (SELECT count(*) FROM doubtful d WHERE NOT EXISTS (
            SELECT 1 FROM settlements s WHERE s.person_id = d.person_id AND s.year = $1 AND s.settled_at < $2
              AND (s.status = 'settled' OR s.reversed_at >= $2))))::int AS n`,
    [w.year, w.cutoff],
  );
  return row?.n ?? 0;
}

/** The lowest threshold that applies whatever the identities (none: above any amount), and every identity a threshold is restricted to. */
function incrementalParams(thresholds: readonly RunThreshold[]): [string, string[]] {
  const open = thresholds.filter((t) => t.identities === null).map((t) => t.amount);
  const identities = [...new Set(thresholds.flatMap((t) => t.identities ?? []))];
  return [open.length > 0 ? String(Math.min(...open)) : '9223372036854775807', identities];
}

export interface MonthStatistics {
  month: string;
  year: number;
  /** People with settlements in the year up to the month's end (their self-pay recomputed). */
  persons: number;
  /** People flagged (an alert) in the year up to the month: Haixi's "monitored". */
  monitored: number;
  /** Alerts of the month itself (real time in the month, or raised by its run). */
  newInMonth: number;
  raisedByRun: number;
  byRisk: Record<string, number>;
  /** People routed to each department (Haixi's "999 + 30 pushed"), and delivered or downloaded so far. */
  pushed: Record<string, number>;
  delivered: Record<string, number>;
  /** People whose case a department determined as needing help. */
  confirmed: number;
  determined: number;
  closed: number;
}

/** The alerts that belong to the year up to the month: raised in real time before the cut-off, or by a run of that month or earlier; withdrawn ones (their bill reversed) do not count. */
const IN_WINDOW = `a.year = $1 AND a.withdrawn_at IS NULL AND (a.created_at < $2 OR (a.run_month IS NOT NULL AND a.run_month <= $3))`;

export async function monthStatistics(q: Queryable, w: RunWindow, persons: number, raisedByRun: number): Promise<MonthStatistics> {
  const params = [w.year, w.cutoff, w.month, w.monthStart];
  const [head] = await q.query<{ monitored: number; new_in_month: number; confirmed: number; determined: number; closed: number }>(
    `SELECT count(DISTINCT a.person_id)::int AS monitored,
       count(*) FILTER (WHERE (a.run_month IS NULL AND a.created_at >= $4) OR a.run_month = $3)::int AS new_in_month,
       count(DISTINCT c.person_id) FILTER (WHERE c.confirmed)::int AS confirmed,
       count(DISTINCT c.person_id) FILTER (WHERE c.status IN ('determined', 'closed'))::int AS determined,
       count(DISTINCT c.person_id) FILTER (WHERE c.status = 'closed')::int AS closed
     FROM alerts a LEFT JOIN monitoring_cases c ON c.alert_id = a.id WHERE ${IN_WINDOW}`,
    params,
  );
  const risks = await q.query<{ risk: string; n: number }>(
    `SELECT a.risk, count(DISTINCT a.person_id)::int AS n FROM alerts a WHERE ${IN_WINDOW} GROUP BY a.risk`,
    params.slice(0, 3),
  );
  const departments = await q.query<{ department: string; pushed: number; delivered: number }>(
    `SELECT o.department, count(DISTINCT c.person_id)::int AS pushed,
       count(DISTINCT c.person_id) FILTER (WHERE o.status = 'delivered')::int AS delivered
     FROM alerts a JOIN monitoring_cases c ON c.alert_id = a.id JOIN outbox o ON o.case_id = c.id
     WHERE ${IN_WINDOW} GROUP BY o.department ORDER BY o.department`,
    params.slice(0, 3),
  );
  return {
    month: w.month,
    year: w.year,
    persons,
    monitored: head?.monitored ?? 0,
    newInMonth: head?.new_in_month ?? 0,
    raisedByRun,
    byRisk: Object.fromEntries(risks.map((r) => [r.risk, r.n])),
    pushed: Object.fromEntries(departments.map((d) => [d.department, d.pushed])),
    delivered: Object.fromEntries(departments.map((d) => [d.department, d.delivered])),
    confirmed: head?.confirmed ?? 0,
    determined: head?.determined ?? 0,
    closed: head?.closed ?? 0,
  };
}

export async function saveRun(q: Queryable, stats: MonthStatistics, actor: string, startedAt: Date, mode: RunMode = 'full'): Promise<void> {
  await q.query(
    `INSERT INTO monitoring_runs (month, started_at, finished_at, actor, persons, new_alerts, statistics, mode)
     VALUES ($1, $2, now(), $3, $4, $5, $6, $7)
     ON CONFLICT (month) DO UPDATE SET started_at = $2, finished_at = now(), actor = $3, persons = $4,
       new_alerts = monitoring_runs.new_alerts + $5, statistics = $6, mode = $7`,
    [stats.month, startedAt, actor, stats.persons, stats.raisedByRun, JSON.stringify(stats), mode],
  );
}

/** Whether a run of the year has been done before (the first of a year recomputes in full). */
export async function hasRunOfYear(q: Queryable, year: number): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM monitoring_runs WHERE month LIKE $1 LIMIT 1', [`${year}-%`]);
  return rows.length > 0;
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
