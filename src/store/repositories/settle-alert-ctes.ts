/**
 * The monitoring alerts a settlement raises, written in the settlement's own
 * write statement (one bill: settle-writes.ts; a batch: settle-batch-writes.ts)
 * instead of two statements more: the alert unless the person has one already
 * for the year and threshold, and for each new alert its case, its first event
 * and its pushes (the same CTEs as openCasesForAlerts, cases.ts). Which alerts
 * were inserted comes back as `raised`; an alert that existed may be a
 * withdrawn one to reinstate, which finishSettle looks at one by one.
 */
import type { Alert } from '../../domain/engine/types.ts';
import { caseOpeningCtes } from './cases.ts';

/** An alert of a write: the bill that raised it (its index in the batch; 0 alone), the person and the year. */
export interface RaisedAlert {
  readonly bill: number;
  readonly personId: number;
  readonly year: number;
  readonly alert: Alert;
}

/** The alerts as the write statement's JSON parameter, in the order they are inserted. */
export function alertsJson(alerts: readonly RaisedAlert[]): string {
  return JSON.stringify(alerts.map((a, n) => ({
    n, o: a.bill, person_id: a.personId, year: a.year, threshold_id: a.alert.threshold, threshold_fen: a.alert.amount,
    yearly_self_pay: a.alert.yearlySelfPay, risk: a.alert.risk, departments: a.alert.departments,
  })));
}

/**
 * The CTEs (al, src, new_cases, events, pushes) for the alerts of the JSON
 * parameter `param`, joined to their settlement by `join` (an SQL fragment
 * after `FROM json_to_recordset(…) AS t(…)`, may be empty) whose id is `settlementId`.
 */
export function alertCtes(param: string, join: string, settlementId: string): string {
  return `al AS (
       INSERT INTO alerts (person_id, year, threshold_id, threshold_fen, yearly_self_pay, risk, departments, settlement_id, source)
       SELECT t.person_id, t.year, t.threshold_id, t.threshold_fen, t.yearly_self_pay, t.risk,
         ARRAY(SELECT json_array_elements_text(t.departments)), ${settlementId}, 'realtime'
       FROM json_to_recordset(${param}::json) AS t(n int, o int, person_id bigint, year int, threshold_id text, threshold_fen bigint,
         yearly_self_pay bigint, risk text, departments json) ${join}
       ORDER BY t.n
       ON CONFLICT (person_id, year, threshold_id) DO NOTHING
       RETURNING id, person_id, year, risk, departments, threshold_id, threshold_fen, yearly_self_pay, source, created_at),
     src AS MATERIALIZED (
       SELECT a.*, p.division_code, p.id_number, p.name, p.phone, h.code AS household_code
       FROM al a JOIN persons p ON p.id = a.person_id LEFT JOIN households h ON h.id = p.household_id),
     ${caseOpeningCtes(`'system'`)}`;
}

/** The output column naming the alerts inserted, "personId:threshold" (after alertCtes). */
export const RAISED_COLUMN = `(SELECT coalesce(json_agg(a.person_id || ':' || a.threshold_id), '[]'::json) FROM al a) AS raised`;
