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
