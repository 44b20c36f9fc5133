/** A payment as its receipt prints it: the payment, its person and division, and the year's enrolment. */
import type { Queryable } from '../db.ts';
import type { PaymentRow } from './payments.ts';

/**
 * The receipt as the database holds it: the payment's own columns (the payment
 * row's type, so the two cannot drift), its person and division, and the year's enrolment.
 */
export interface ReceiptRow
  extends Pick<PaymentRow, 'id' | 'receipt_no' | 'year' | 'kind' | 'department' | 'amount_fen' | 'method' | 'reference' | 'paid_on' | 'recorded_by' | 'reversed_at' | 'person_id'> {
  id_number: string;
  name: string;
  name_bo: string | null;
  division_code: string;
  division_name: string | null;
  division_name_bo: string | null;
  individual_fen: number;
  paid_fen: number;
  status: string;
  cover_from: string | null;
  cover_decision: { reason: string; waitingMonths: number } | null;
}

export async function findReceipt(q: Queryable, paymentId: number): Promise<ReceiptRow | undefined> {
  const [row] = await q.query<ReceiptRow & Record<string, unknown>>(
    `SELECT pay.id, pay.receipt_no, pay.year, pay.kind, pay.department, pay.amount_fen, pay.method, pay.reference, pay.paid_on::text AS paid_on,
       pay.recorded_by, pay.reversed_at, p.id AS person_id, p.id_number, p.name, p.name_bo, p.division_code, d.name AS division_name, d.name_bo AS division_name_bo,
       e.individual_fen, e.paid_fen, e.status, e.cover_from::text AS cover_from, e.cover_decision
     FROM payments pay JOIN persons p ON p.id = pay.person_id LEFT JOIN divisions d ON d.code = p.division_code
     JOIN enrollments e ON e.person_id = pay.person_id AND e.year = pay.year
     WHERE pay.id = $1`,
    [paymentId],
  );
  if (!row) return undefined;
  return { ...row, id: Number(row.id), person_id: Number(row.person_id), amount_fen: Number(row.amount_fen), individual_fen: Number(row.individual_fen), paid_fen: Number(row.paid_fen) };
}
