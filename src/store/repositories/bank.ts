/**
 * Bank accounts of facilities (encrypted numbers), bank payment batches, and
 * assistance payouts. Account numbers leave this module only as ciphertext
 * and last four digits; decryption is the service's, for the bank file.
 */
import { parseInt8, type Queryable } from '../db.ts';

export async function upsertFacilityAccount(
  q: Queryable,
  a: { facilityId: number; cipher: string; last4: string; accountName: string; bankName: string; by: string },
): Promise<void> {
  await q.query(
    `INSERT INTO facility_bank_accounts (facility_id, account_cipher, account_last4, account_name, bank_name, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (facility_id) DO UPDATE SET account_cipher = EXCLUDED.account_cipher, account_last4 = EXCLUDED.account_last4,
       account_name = EXCLUDED.account_name, bank_name = EXCLUDED.bank_name, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [a.facilityId, a.cipher, a.last4, a.accountName, a.bankName, a.by],
  );
}

export interface FacilityAccountRow {
  facility_id: number;
  account_cipher: string;
  account_last4: string;
  account_name: string;
  bank_name: string;
}

export async function facilityAccounts(q: Queryable, facilityIds: readonly number[]): Promise<Map<number, FacilityAccountRow>> {
  const rows = await q.query<FacilityAccountRow & Record<string, unknown>>(
    'SELECT facility_id::int AS facility_id, account_cipher, account_last4, account_name, bank_name FROM facility_bank_accounts WHERE facility_id = ANY($1::bigint[])',
    [facilityIds],
  );
  return new Map(rows.map((r) => [r.facility_id, r]));
}

export async function insertBankBatch(q: Queryable, b: { kind: 'clearing' | 'payout'; reference: string; lines: number; total: number; by: string }): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    'INSERT INTO bank_batches (kind, reference, lines, total_fen, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id::int AS id',
    [b.kind, b.reference, b.lines, b.total, b.by],
  );
  return row!.id;
}

export interface BankBatchRow {
  id: number;
  kind: 'clearing' | 'payout';
  reference: string;
  lines: number;
  total_fen: number;
  created_by: string;
  created_at: Date;
}

export async function findBankBatch(q: Queryable, id: number): Promise<BankBatchRow | undefined> {
  const [row] = await q.query<BankBatchRow & Record<string, unknown>>('SELECT id::int AS id, kind, reference, lines, total_fen, created_by, created_at FROM bank_batches WHERE id = $1', [id]);
  return row ? { ...row, total_fen: parseInt8(String(row.total_fen)) } : undefined;
}

export async function listBankBatches(q: Queryable, limit: number): Promise<BankBatchRow[]> {
  const rows = await q.query<BankBatchRow & Record<string, unknown>>('SELECT id::int AS id, kind, reference, lines, total_fen, created_by, created_at FROM bank_batches ORDER BY id DESC LIMIT $1', [limit]);
  return rows.map((r) => ({ ...r, total_fen: parseInt8(String(r.total_fen)) }));
}

/** The lines of a clearing batch: each clearing with its facility's account. */
export async function clearingBatchLines(q: Queryable, batchId: number) {
  return q.query<{ clearing_id: number; facility_code: string; period: string; kind: string; net_fen: string; account_cipher: string; account_name: string; bank_name: string } & Record<string, unknown>>(
    `SELECT c.id::int AS clearing_id, f.code AS facility_code, c.period, c.kind, c.net_fen::text AS net_fen, a.account_cipher, a.account_name, a.bank_name
     FROM clearings c JOIN facilities f ON f.id = c.facility_id JOIN facility_bank_accounts a ON a.facility_id = c.facility_id
     WHERE c.batch_id = $1 ORDER BY f.code, c.id`,
    [batchId],
  );
}

export interface PayoutRow {
  id: number;
  source: 'application' | 'exception';
  source_id: number;
  person_id: number;
  year: number;
  amount_fen: number;
  granted_by: string;
  account_cipher: string;
  account_last4: string;
  bank_name: string;
  status: 'pending' | 'approved' | 'sent' | 'paid' | 'returned';
  prepared_by: string;
  prepared_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  batch_id: number | null;
  settled_at: Date | null;
  returned_reason: string | null;
  reissue_of: number | null;
  division_code: string;
}

const PAYOUT = `SELECT o.id::int AS id, o.source, o.source_id::int AS source_id, o.person_id::int AS person_id, o.year, o.amount_fen::text AS amount_fen,
    o.granted_by, o.account_cipher, o.account_last4, o.bank_name, o.status, o.prepared_by, o.prepared_at, o.approved_by, o.approved_at,
    o.batch_id::int AS batch_id, o.settled_at, o.returned_reason, o.reissue_of::int AS reissue_of, p.division_code
  FROM assistance_payouts o JOIN persons p ON p.id = o.person_id`;

const toPayout = (r: PayoutRow & Record<string, unknown>): PayoutRow => ({ ...r, amount_fen: parseInt8(String(r.amount_fen)) });

export async function findPayout(q: Queryable, id: number, forUpdate = false): Promise<PayoutRow | undefined> {
  const [row] = await q.query<PayoutRow & Record<string, unknown>>(`${PAYOUT} WHERE o.id = $1${forUpdate ? ' FOR UPDATE OF o' : ''}`, [id]);
  return row ? toPayout(row) : undefined;
}

export async function listPayouts(q: Queryable, f: { status?: string | undefined; divisionPrefix: string; limit: number; offset: number }): Promise<PayoutRow[]> {
  const rows = await q.query<PayoutRow & Record<string, unknown>>(
    `${PAYOUT} WHERE ($1::text IS NULL OR o.status = $1) AND p.division_code LIKE $2 || '%' ORDER BY o.id DESC LIMIT $3 OFFSET $4`,
    [f.status ?? null, f.divisionPrefix, f.limit, f.offset],
  );
  return rows.map(toPayout);
}

export async function insertPayout(
  q: Queryable,
  p: Pick<PayoutRow, 'source' | 'source_id' | 'person_id' | 'year' | 'amount_fen' | 'granted_by' | 'account_cipher' | 'account_last4' | 'bank_name' | 'prepared_by' | 'reissue_of'>,
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO assistance_payouts (source, source_id, person_id, year, amount_fen, granted_by, account_cipher, account_last4, bank_name, status, prepared_by, reissue_of)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11) RETURNING id::int AS id`,
    [p.source, p.source_id, p.person_id, p.year, p.amount_fen, p.granted_by, p.account_cipher, p.account_last4, p.bank_name, p.prepared_by, p.reissue_of],
  );
  return row!.id;
}

export async function setPayoutStatus(
  q: Queryable,
  id: number,
  status: PayoutRow['status'],
  extra: { approvedBy?: string; batchId?: number; reason?: string } = {},
): Promise<void> {
  await q.query(
    `UPDATE assistance_payouts SET status = $2,
       approved_by = COALESCE($3, approved_by), approved_at = CASE WHEN $3::text IS NULL THEN approved_at ELSE now() END,
       batch_id = COALESCE($4, batch_id), returned_reason = COALESCE($5, returned_reason),
       settled_at = CASE WHEN $2 IN ('paid', 'returned') THEN now() ELSE settled_at END
     WHERE id = $1`,
    [id, status, extra.approvedBy ?? null, extra.batchId ?? null, extra.reason ?? null],
  );
}

/** A grant as a payout needs it: who granted it, for whom, and what is left to pay after recoveries. */
export async function findGrant(q: Queryable, source: 'application' | 'exception', id: number): Promise<{ person_id: number; year: number; amount: number; granted_by: string } | undefined> {
  const sql = source === 'application'
    ? `SELECT a.person_id::int AS person_id, a.year, (a.paid_fen + COALESCE((SELECT sum(x.assistance_fen) FROM settlement_adjustments x
         WHERE x.kind = 'assistance_recovery' AND x.application_id = a.id), 0))::text AS amount, a.approved_by AS granted_by
       FROM assistance_applications a WHERE a.id = $1`
    : `SELECT a.person_id::int AS person_id, a.year, (e.amount_fen + COALESCE((SELECT sum(x.assistance_fen) FROM settlement_adjustments x
         WHERE x.kind = 'exception_recovery' AND x.exception_id = e.id), 0))::text AS amount, e.approved_by AS granted_by
       FROM assistance_exceptions e JOIN assistance_applications a ON a.id = e.application_id WHERE e.id = $1`;
  const [row] = await q.query<{ person_id: number; year: number; amount: string; granted_by: string }>(sql, [id]);
  return row ? { ...row, amount: parseInt8(row.amount) } : undefined;
}

export async function approvedPayouts(q: Queryable, divisionPrefix: string): Promise<PayoutRow[]> {
  const rows = await q.query<PayoutRow & Record<string, unknown>>(`${PAYOUT} WHERE o.status = 'approved' AND p.division_code LIKE $1 || '%' ORDER BY o.id FOR UPDATE OF o`, [divisionPrefix]);
  return rows.map(toPayout);
}

export async function payoutsOfBatch(q: Queryable, batchId: number): Promise<PayoutRow[]> {
  const rows = await q.query<PayoutRow & Record<string, unknown>>(`${PAYOUT} WHERE o.batch_id = $1 ORDER BY o.id`, [batchId]);
  return rows.map(toPayout);
}
