/**
 * Monitoring alerts, raised in the settlement's own transaction: once per
 * person, year and threshold. A new alert opens its case and queues its pushes
 * (the outbox) in the same transaction, so no alert is lost or doubled.
 */
import type { Alert } from '../../domain/engine/types.ts';
import type { Queryable } from '../db.ts';
import { openCasesForAlerts } from './cases.ts';
import { reinstateWithdrawn } from './alert-withdrawals.ts';

/** Inserts the alert unless one exists for the person, year and threshold; returns the new id or null. */
export async function raiseAlert(
  q: Queryable,
  a: { personId: number; year: number; alert: Alert; settlementId: number | null; source: 'realtime' | 'monthly' },
): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO alerts (person_id, year, threshold_id, threshold_fen, yearly_self_pay, risk, departments, settlement_id, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (person_id, year, threshold_id) DO NOTHING RETURNING id`,
    [a.personId, a.year, a.alert.threshold, a.alert.amount, a.alert.yearlySelfPay, a.alert.risk, a.alert.departments, a.settlementId, a.source],
  );
  const id = rows[0]?.id ?? null;
  if (id !== null) await openCasesForAlerts(q, { alertIds: [id] });
  else if (a.settlementId !== null) return reinstateWithdrawn(q, a.personId, a.year, a.alert, a.settlementId);
  return id;
}

/**
 * raiseAlert for the realtime alerts of a batch of settlements (group commit),
 * in two statements whatever their number: one INSERT, one opening the new
 * alerts' cases; an alert that exists already may be a withdrawn one to
 * reinstate, looked at one by one as raiseAlert does (rare: a threshold crossed
 * again after a re-adjudication took the bill under it).
 */
export async function raiseRealtimeAlerts(
  q: Queryable,
  alerts: readonly { personId: number; year: number; alert: Alert; settlementId: number }[],
): Promise<void> {
  if (alerts.length === 0) return;
  const rows = await q.query<{ id: number | string; person_id: number | string; threshold_id: string }>(
    `INSERT INTO alerts (person_id, year, threshold_id, threshold_fen, yearly_self_pay, risk, departments, settlement_id, source)
     SELECT t.person_id, t.year, t.threshold_id, t.threshold_fen, t.yearly_self_pay, t.risk,
       ARRAY(SELECT json_array_elements_text(t.departments)), t.settlement_id, 'realtime'
     FROM json_to_recordset($1::json) AS t(o int, person_id bigint, year int, threshold_id text, threshold_fen bigint, yearly_self_pay bigint,
       risk text, departments json, settlement_id bigint)
     ORDER BY t.o
     ON CONFLICT (person_id, year, threshold_id) DO NOTHING RETURNING id, person_id, threshold_id`,
    [JSON.stringify(alerts.map((a, o) => ({
      o, person_id: a.personId, year: a.year, threshold_id: a.alert.threshold, threshold_fen: a.alert.amount,
      yearly_self_pay: a.alert.yearlySelfPay, risk: a.alert.risk, departments: a.alert.departments, settlement_id: a.settlementId,
    })))],
  );
  if (rows.length > 0) await openCasesForAlerts(q, { alertIds: rows.map((r) => Number(r.id)) });
  const raised = new Set(rows.map((r) => `${Number(r.person_id)}:${r.threshold_id}`));
  for (const a of alerts) {
    if (!raised.has(`${a.personId}:${a.alert.threshold}`)) await reinstateWithdrawn(q, a.personId, a.year, a.alert, a.settlementId);
  }
}
