/** Payments of the individual part (缴费): by the person, or on their behalf by a department, one by one or in bulk. */
import type { Queryable } from '../db.ts';
import type { EnrollmentRow } from './enrollments.ts';

export interface PaymentRow {
  id: number;
  person_id: number;
  year: number;
  kind: 'individual' | 'on_behalf';
  department: string | null;
  amount_fen: number;
  method: string;
  reference: string | null;
  batch_id: number | null;
  recorded_by: string;
  recorded_at: Date;
  reversed_at: Date | null;
  reversal_reason: string | null;
}

export async function lockEnrollment(q: Queryable, personId: number, year: number): Promise<EnrollmentRow | undefined> {
  const rows = await q.query<EnrollmentRow & Record<string, unknown>>(
    'SELECT * FROM enrollments WHERE person_id = $1 AND year = $2 FOR UPDATE',
    [personId, year],
  );
  return rows[0];
}

export interface NewPayment {
  personId: number;
  year: number;
  kind: 'individual' | 'on_behalf';
  department: string | null;
  amount: number;
  method: string;
  reference: string | null;
  actor: string;
}

export async function insertPayment(q: Queryable, p: NewPayment): Promise<PaymentRow> {
  const rows = await q.query<PaymentRow & Record<string, unknown>>(
    `INSERT INTO payments (person_id, year, kind, department, amount_fen, method, reference, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [p.personId, p.year, p.kind, p.department, p.amount, p.method, p.reference, p.actor],
  );
  return rows[0]!;
}

/** Adds (or, negative, takes back) a paid amount; enrolled exactly while the paid amount covers the individual part. */
export async function addPaid(q: Queryable, personId: number, year: number, delta: number): Promise<EnrollmentRow> {
  const rows = await q.query<EnrollmentRow & Record<string, unknown>>(
    `UPDATE enrollments SET paid_fen = paid_fen + $3,
       status = CASE WHEN paid_fen + $3 >= individual_fen THEN 'enrolled' ELSE 'pending' END,
       enrolled_at = CASE WHEN paid_fen + $3 >= individual_fen THEN COALESCE(enrolled_at, now()) END,
       updated_at = now()
     WHERE person_id = $1 AND year = $2 RETURNING *`,
    [personId, year, delta],
  );
  return rows[0]!;
}

export async function findPayment(q: Queryable, id: number, forUpdate = false): Promise<PaymentRow | undefined> {
  const rows = await q.query<PaymentRow & Record<string, unknown>>(`SELECT * FROM payments WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function markReversed(q: Queryable, id: number, reason: string): Promise<PaymentRow> {
  const rows = await q.query<PaymentRow & Record<string, unknown>>(
    'UPDATE payments SET reversed_at = now(), reversal_reason = $2 WHERE id = $1 RETURNING *',
    [id, reason],
  );
  return rows[0]!;
}

export async function paymentsOf(q: Queryable, personIds: readonly number[], year: number): Promise<PaymentRow[]> {
  return q.query<PaymentRow & Record<string, unknown>>(
    'SELECT * FROM payments WHERE person_id = ANY($1::bigint[]) AND year = $2 ORDER BY id',
    [personIds, year],
  );
}

export interface BatchResult {
  batchId: number;
  persons: number;
  amount: number;
}

/**
 * A department pays the outstanding individual part of everyone on a roster
 * (in a division) whose enrollment of the year is pending: one batch, one
 * payment and one audit entry per person, in three statements.
 */
export async function payRosterInBulk(
  q: Queryable,
  b: { year: number; rosterId: number; department: string; division: string; reference: string | null; actor: string },
): Promise<BatchResult> {
  const [batch] = await q.query<{ id: number }>(
    `INSERT INTO payment_batches (year, department, roster_id, division, reference, recorded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [b.year, b.department, b.rosterId, b.division, b.reference, b.actor],
  );
  const batchId = batch!.id;
  const [paid] = await q.query<{ persons: number; amount: number }>(
    `WITH due AS (
       SELECT e.person_id, e.individual_fen - e.paid_fen AS amount
       FROM enrollments e
       JOIN roster_entries r ON r.person_id = e.person_id AND r.roster_id = $2
       JOIN persons p ON p.id = e.person_id
       WHERE e.year = $1 AND e.status = 'pending' AND e.individual_fen > e.paid_fen AND p.division_code LIKE $4 || '%'
       FOR UPDATE OF e),
     pay AS (
       INSERT INTO payments (person_id, year, kind, department, amount_fen, method, batch_id, recorded_by)
       SELECT due.person_id, $1, 'on_behalf', $3, due.amount, 'transfer', $5, $6 FROM due
       RETURNING id, person_id, amount_fen),
     upd AS (
       UPDATE enrollments e SET paid_fen = e.individual_fen, status = 'enrolled', enrolled_at = now(), updated_at = now()
       FROM due WHERE e.person_id = due.person_id AND e.year = $1),
     logged AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $6, 'payment.create', 'payment', pay.id::text,
         jsonb_build_object('personId', pay.person_id, 'year', $1::int, 'amount', pay.amount_fen, 'kind', 'on_behalf', 'department', $3::text, 'batch', $5::bigint)
       FROM pay)
     SELECT count(*)::int AS persons, COALESCE(sum(amount_fen), 0)::bigint AS amount FROM pay`,
    [b.year, b.rosterId, b.department, b.division, batchId, b.actor],
  );
  await q.query('UPDATE payment_batches SET persons = $2, amount_fen = $3 WHERE id = $1', [batchId, paid!.persons, paid!.amount]);
  return { batchId, persons: paid!.persons, amount: paid!.amount };
}
