/**
 * Alerts after a re-adjudication: an alert no surviving bill justifies is
 * withdrawn (its case closed with a 'withdrawn' event), a withdrawn one that is
 * justified again is reinstated (its case raised again), and one still justified
 * stays. Nothing is deleted: the case keeps its history.
 */
import type { Alert } from '../../domain/engine/types.ts';
import type { Queryable } from '../db.ts';

export interface PersonAlertRow {
  id: number;
  threshold_id: string;
  settlement_id: number | null;
  withdrawn_at: Date | null;
  case_id: number | null;
  case_status: string | null;
}

export async function alertsOfPersonYear(q: Queryable, personId: number, year: number): Promise<PersonAlertRow[]> {
  const rows = await q.query<PersonAlertRow & Record<string, unknown>>(
    `SELECT a.id, a.threshold_id, a.settlement_id, a.withdrawn_at, c.id AS case_id, c.status AS case_status
     FROM alerts a LEFT JOIN monitoring_cases c ON c.alert_id = a.id
     WHERE a.person_id = $1 AND a.year = $2 ORDER BY a.id FOR UPDATE OF a`,
    [personId, year],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), settlement_id: r.settlement_id === null ? null : Number(r.settlement_id), case_id: r.case_id === null ? null : Number(r.case_id) }));
}

export async function withdrawAlert(q: Queryable, a: PersonAlertRow, actor: string, detail: Record<string, unknown>): Promise<void> {
  await q.query('UPDATE alerts SET withdrawn_at = now() WHERE id = $1', [a.id]);
  if (a.case_id === null) return;
  await q.query(`UPDATE monitoring_cases SET status = 'closed', updated_at = now() WHERE id = $1`, [a.case_id]);
  // Pushes not delivered yet are withheld; delivered ones stay on record.
  await q.query(`UPDATE outbox SET status = 'withdrawn', lease_until = NULL WHERE case_id = $1 AND status = 'pending'`, [a.case_id]);
  await q.query(
    `INSERT INTO case_events (case_id, actor, action, from_status, to_status, detail) VALUES ($1, $2, 'withdrawn', $3, 'closed', $4)`,
    [a.case_id, actor, a.case_status, JSON.stringify({ alertId: a.id, ...detail })],
  );
}

export async function reinstateAlert(
  q: Queryable,
  a: PersonAlertRow,
  now: { settlementId: number; yearlySelfPay: number },
  actor: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await q.query('UPDATE alerts SET withdrawn_at = NULL, settlement_id = $2, yearly_self_pay = $3 WHERE id = $1', [a.id, now.settlementId, now.yearlySelfPay]);
  if (a.case_id === null) return;
  await q.query(`UPDATE monitoring_cases SET status = 'raised', updated_at = now() WHERE id = $1`, [a.case_id]);
  await q.query(`UPDATE outbox SET status = 'pending', next_attempt_at = now() WHERE case_id = $1 AND status = 'withdrawn'`, [a.case_id]);
  await q.query(
    `INSERT INTO case_events (case_id, actor, action, from_status, to_status, detail) VALUES ($1, $2, 'reinstated', $3, 'raised', $4)`,
    [a.case_id, actor, a.case_status, JSON.stringify({ alertId: a.id, ...detail })],
  );
}

/** Points a still-justified alert at the bill that now takes the yearly self-pay over its threshold. */
export async function moveAlert(q: Queryable, alertId: number, now: { settlementId: number; yearlySelfPay: number }): Promise<void> {
  await q.query('UPDATE alerts SET settlement_id = $2, yearly_self_pay = $3 WHERE id = $1', [alertId, now.settlementId, now.yearlySelfPay]);
}

/**
 * A bill crosses a threshold whose alert a reversal withdrew: the same alert
 * stands again (one alert per person, year and threshold), its case raised
 * again with a 'reinstated' event. Returns the alert id, or null when the
 * alert was not withdrawn (then nothing changes).
 */
export async function reinstateWithdrawn(q: Queryable, personId: number, year: number, alert: Alert, settlementId: number): Promise<number | null> {
  const [row] = await q.query<PersonAlertRow & Record<string, unknown>>(
    `SELECT a.id, a.threshold_id, a.settlement_id, a.withdrawn_at, c.id AS case_id, c.status AS case_status
     FROM alerts a LEFT JOIN monitoring_cases c ON c.alert_id = a.id
     WHERE a.person_id = $1 AND a.year = $2 AND a.threshold_id = $3 AND a.withdrawn_at IS NOT NULL FOR UPDATE OF a`,
    [personId, year, alert.threshold],
  );
  if (!row) return null;
  const a = { ...row, id: Number(row.id), case_id: row.case_id === null ? null : Number(row.case_id) };
  await reinstateAlert(q, a, { settlementId, yearlySelfPay: alert.yearlySelfPay }, 'system', { reason: 'threshold crossed again', settlementId });
  return a.id;
}
