/**
 * The month's statistics of a monitoring run, in one statement: the alerts of
 * the year up to the month read once (with their cases), and their pushes
 * joined to them.
 */
import type { Queryable } from '../db.ts';
import type { RunWindow } from './monitoring-runs.ts';

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

interface Row {
  monitored: number;
  new_in_month: number;
  confirmed: number;
  determined: number;
  closed: number;
  risks: { risk: string; n: number }[] | null;
  departments: { department: string; pushed: number; delivered: number }[] | null;
}

export async function monthStatistics(q: Queryable, w: RunWindow, persons: number, raisedByRun: number): Promise<MonthStatistics> {
  const [row] = await q.query<Row & Record<string, unknown>>(
    `WITH w AS MATERIALIZED (
       SELECT a.person_id, a.risk, (a.run_month IS NULL AND a.created_at >= $4) OR a.run_month = $3 AS new_in_month,
         c.id AS case_id, c.confirmed, c.status
       FROM alerts a LEFT JOIN monitoring_cases c ON c.alert_id = a.id WHERE ${IN_WINDOW}
     ), people AS (
       -- Each person once (hashed, where count(DISTINCT …) would sort every alert once per count).
       SELECT person_id, bool_or(confirmed) AS confirmed, bool_or(status IN ('determined', 'closed')) AS determined,
         bool_or(status = 'closed') AS closed
       FROM w GROUP BY person_id
     ), head AS (
       SELECT count(*)::int AS monitored, count(*) FILTER (WHERE confirmed)::int AS confirmed,
         count(*) FILTER (WHERE determined)::int AS determined, count(*) FILTER (WHERE closed)::int AS closed,
         (SELECT count(*) FILTER (WHERE new_in_month) FROM w)::int AS new_in_month
       FROM people
     ), risks AS (
       SELECT risk, count(*)::int AS n FROM (SELECT DISTINCT risk, person_id FROM w) r GROUP BY risk
     ), departments AS (
       SELECT department, count(*)::int AS pushed, count(*) FILTER (WHERE delivered)::int AS delivered FROM (
         SELECT o.department, w.person_id, bool_or(o.status = 'delivered') AS delivered
         FROM w JOIN outbox o ON o.case_id = w.case_id GROUP BY o.department, w.person_id
       ) d GROUP BY department
     )
     SELECT head.*,
       (SELECT jsonb_agg(jsonb_build_object('risk', risk, 'n', n)) FROM risks) AS risks,
       (SELECT jsonb_agg(jsonb_build_object('department', department, 'pushed', pushed, 'delivered', delivered) ORDER BY department) FROM departments) AS departments
     FROM head`,
    [w.year, w.cutoff, w.month, w.monthStart],
  );
  const departments = row?.departments ?? [];
  return {
    month: w.month,
    year: w.year,
    persons,
    monitored: row?.monitored ?? 0,
    newInMonth: row?.new_in_month ?? 0,
    raisedByRun,
    byRisk: Object.fromEntries((row?.risks ?? []).map((r) => [r.risk, r.n])),
    pushed: Object.fromEntries(departments.map((d) => [d.department, d.pushed])),
    delivered: Object.fromEntries(departments.map((d) => [d.department, d.delivered])),
    confirmed: row?.confirmed ?? 0,
    determined: row?.determined ?? 0,
    closed: row?.closed ?? 0,
  };
}
