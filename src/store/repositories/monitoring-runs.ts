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
 * their bills' self-pay after adjustments (the engine adds each bill's; a
 * reversal or correction settles the year again and sets it to what the year
 * now adds up to), so it is the total at the cut-off for everyone whose bills
 * did not change after it. Only people above the lowest threshold are read;
 * people with a bill settled, reversed or adjusted after the cut-off (the
 * year-to-date counts that change, the cut-off must not) are summed from
 * their own bills exactly as the full run sums them. Nobody else's bills are
 * read; the walk below reads the bills of those still without their alert.
 * ($9: the lowest threshold for everyone; $10: the identities some threshold
 * is restricted to.)
 */
const INCREMENTAL_TOTALS = `late AS MATERIALIZED (
       SELECT c.person_id FROM facilities f CROSS JOIN LATERAL (
         SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.settled_at >= $2 AND s.year = $1
         UNION ALL
         SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.reversed_at >= $2 AND s.year = $1
       ) c
       UNION
       SELECT a.person_id FROM settlement_adjustments a WHERE a.year = $1 AND a.created_at >= $2
     ), totals AS MATERIALIZED (
       SELECT y.person_id, y.self_pay FROM accumulators y
       WHERE y.year = $1 AND y.self_pay > $3 AND NOT EXISTS (SELECT 1 FROM late l WHERE l.person_id = y.person_id)
         -- Above a threshold for everyone, or above one for some identities and holding one of them some day of the year.
         AND (y.self_pay > $9 OR EXISTS (SELECT 1 FROM identities i WHERE i.person_id = y.person_id AND i.ended_at IS NULL
               AND i.identity = ANY ($10::text[]) AND i.valid_from <= $8::date AND (i.valid_to IS NULL OR i.valid_to >= $7::date)))
       UNION ALL
       SELECT l.person_id, t.self_pay FROM late l CROSS JOIN LATERAL (
         SELECT sum(s.self_pay + coalesce(adj.self_pay, 0)) AS self_pay
         FROM settlements s LEFT JOIN adj ON adj.settlement_id = s.id
         WHERE s.person_id = l.person_id AND s.year = $1 AND s.settled_at < $2 AND (s.status = 'settled' OR s.reversed_at >= $2)
       ) t WHERE t.self_pay IS NOT NULL
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
  const rows = await q.query<{ persons: number; raised: number }>(
    `WITH adj AS MATERIALIZED (
       SELECT a.settlement_id, sum(a.self_pay_fen) AS self_pay
       FROM settlement_adjustments a WHERE a.year = $1 AND a.created_at < $2 GROUP BY a.settlement_id
     ), ${mode === 'full' ? FULL_TOTALS : INCREMENTAL_TOTALS}, thresholds AS (
       SELECT * FROM jsonb_to_recordset($5::jsonb) AS x(prefix text, threshold_id text, amount bigint, identities text[],
         falling_back text[], becoming_poor_routes text[], falling_back_routes text[])
     ), candidates AS MATERIALIZED (
       SELECT t.person_id, t.self_pay,
         (SELECT x.prefix FROM unnest($4::text[]) AS x(prefix) WHERE p.division_code LIKE x.prefix || '%'
          ORDER BY length(x.prefix) DESC LIMIT 1) AS prefix
       FROM totals t JOIN persons p ON p.id = t.person_id
       WHERE t.self_pay > $3
     ), open AS MATERIALIZED (
       -- Thresholds the year's total passes and no alert holds yet (real time raised most already): only these need the walk.
       SELECT c.person_id, th.*
       FROM candidates c JOIN thresholds th ON th.prefix = c.prefix AND c.self_pay > th.amount
       WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.person_id = c.person_id AND a.year = $1 AND a.threshold_id = th.threshold_id)
         -- A threshold for some identities needs one of them on some day of the year (on the crossing bill's date, checked below).
         AND (th.identities IS NULL OR EXISTS (SELECT 1 FROM identities i WHERE i.person_id = c.person_id AND i.ended_at IS NULL
               AND i.identity = ANY (th.identities) AND i.valid_from <= $8::date AND (i.valid_to IS NULL OR i.valid_to >= $7::date)))
     ), bills AS MATERIALIZED (
       -- Their bills in settlement order, each person once through the (person_id, year) index.
       SELECT w.person_id, b.id, b.visit_id, b.self_pay, b.after
       FROM (SELECT DISTINCT person_id FROM open) w CROSS JOIN LATERAL (
         SELECT s.id, s.visit_id, s.self_pay + coalesce(adj.self_pay, 0) AS self_pay,
           sum(s.self_pay + coalesce(adj.self_pay, 0)) OVER (ORDER BY s.id) AS after
         FROM settlements s LEFT JOIN adj ON adj.settlement_id = s.id
         WHERE s.person_id = w.person_id AND s.year = $1 AND s.settled_at < $2 AND (s.status = 'settled' OR s.reversed_at >= $2)
       ) b
     ), crossings AS MATERIALIZED (
       -- The bill's date as the engine settled it (for the identities valid on it) only of the bills that cross a threshold.
       SELECT o.*, b.id AS settlement_id, b.after,
         coalesce((SELECT array_agg(i.identity) FROM identities i
                   WHERE i.person_id = b.person_id AND i.ended_at IS NULL
                     AND i.valid_from <= coalesce(v.bill_date, v.visit_date)
                     AND (i.valid_to IS NULL OR i.valid_to >= coalesce(v.bill_date, v.visit_date))), '{}') AS ids
       FROM open o JOIN bills b ON b.person_id = o.person_id AND b.after - b.self_pay <= o.amount AND b.after > o.amount
         JOIN visits v ON v.id = b.visit_id
     ), inserted AS (
       INSERT INTO alerts (person_id, year, threshold_id, threshold_fen, yearly_self_pay, risk, departments, settlement_id, source, run_month)
       SELECT x.person_id, $1, x.threshold_id, x.amount, x.after,
         CASE WHEN x.ids && x.falling_back THEN 'falling_back' ELSE 'becoming_poor' END,
         CASE WHEN x.ids && x.falling_back THEN x.falling_back_routes ELSE x.becoming_poor_routes END,
         x.settlement_id, 'monthly', $6
       FROM crossings x WHERE x.identities IS NULL OR x.ids && x.identities
       ON CONFLICT (person_id, year, threshold_id) DO NOTHING
       RETURNING id
     )
     SELECT (SELECT count(*)::int FROM totals) AS persons, (SELECT count(*)::int FROM inserted) AS raised`,
    [w.year, w.cutoff, lowest, prefixes, JSON.stringify(thresholds), w.month, w.yearStart, `${w.year}-12-31`, ...(mode === 'incremental' ? incrementalParams(thresholds) : [])],
  );
  return rows[0] ?? { persons: 0, raised: 0 };
}

/**
 * People with settlements counted at the cut-off (settled before it, not
 * reversed by then), without reading every bill: everyone with a year-to-date
 * row (real time makes one with the person's first bill), less those of them
 * whose bills are all settled after the cut-off or all reversed before it —
 * looked for only among people with a bill settled after the cut-off or a
 * reversed bill.
 */
export async function countPersons(q: Queryable, w: RunWindow): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `WITH doubtful AS (
       SELECT DISTINCT c.person_id FROM facilities f CROSS JOIN LATERAL (
         SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.settled_at >= $2 AND s.year = $1
         UNION ALL
         SELECT s.person_id FROM settlements s WHERE s.facility_id = f.id AND s.reversed_at IS NOT NULL AND s.year = $1
       ) c
     )
     SELECT ((SELECT count(*) FROM accumulators y WHERE y.year = $1)
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
