/** Assistance on application (依申请救助): applications, the settlements each covers, and 一事一议 exceptions. */
import type { Queryable } from '../db.ts';

export interface UncoveredSettlement {
  id: number;
  visit_kind: string;
  major_illness: boolean;
  compliant_fen: number;
  self_pay_compliant: number;
  /** What the basic, critical-illness and assistance funds paid on the bill. */
  basic: number;
  critical: number;
  assistance: number;
}

/** The person's settled bills of the year that no application has covered yet, oldest first, with what each fund paid. */
export async function uncoveredSettlements(q: Queryable, personId: number, year: number): Promise<UncoveredSettlement[]> {
  return q.query<UncoveredSettlement & Record<string, unknown>>(
    `SELECT s.id, v.kind AS visit_kind, v.major_illness, s.compliant_fen, s.self_pay_compliant,
       coalesce(sum(f.amount_fen) FILTER (WHERE f.fund = 'basic'), 0)::bigint AS basic,
       coalesce(sum(f.amount_fen) FILTER (WHERE f.fund = 'critical'), 0)::bigint AS critical,
       coalesce(sum(f.amount_fen) FILTER (WHERE f.fund = 'assistance'), 0)::bigint AS assistance
     FROM settlements s JOIN visits v ON v.id = s.visit_id LEFT JOIN settlement_funds f ON f.settlement_id = s.id
     WHERE s.person_id = $1 AND s.year = $2 AND s.status = 'settled'
       AND NOT EXISTS (SELECT 1 FROM assistance_application_items i WHERE i.settlement_id = s.id)
     GROUP BY s.id, v.kind, v.major_illness
     ORDER BY s.settled_at, s.id`,
    [personId, year],
  );
}

export interface ApplicationRow {
  id: number;
  case_id: number;
  person_id: number;
  year: number;
  identity: string;
  ratio_bp: number;
  base_fen: number;
  due_fen: number;
  paid_fen: number;
  above_cap_fen: number;
  approved_by: string;
  approved_at: Date;
}

export async function insertApplication(
  q: Queryable,
  a: Omit<ApplicationRow, 'id' | 'approved_at'>,
  items: readonly { settlementId: number; pool: 'ordinary' | 'major'; base: number; due: number; paid: number }[],
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO assistance_applications (case_id, person_id, year, identity, ratio_bp, base_fen, due_fen, paid_fen, above_cap_fen, approved_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [a.case_id, a.person_id, a.year, a.identity, a.ratio_bp, a.base_fen, a.due_fen, a.paid_fen, a.above_cap_fen, a.approved_by],
  );
  await q.query(
    `INSERT INTO assistance_application_items (application_id, settlement_id, pool, base_fen, due_fen, paid_fen)
     SELECT $1, x.settlement_id, x.pool, x.base, x.due, x.paid
     FROM jsonb_to_recordset($2::jsonb) AS x(settlement_id bigint, pool text, base bigint, due bigint, paid bigint)`,
    [row!.id, JSON.stringify(items.map((i) => ({ settlement_id: i.settlementId, pool: i.pool, base: i.base, due: i.due, paid: i.paid })))],
  );
  return row!.id;
}

export async function findApplication(q: Queryable, id: number, lock = false): Promise<ApplicationRow | undefined> {
  const rows = await q.query<ApplicationRow & Record<string, unknown>>(
    `SELECT id, case_id, person_id, year, identity, ratio_bp, base_fen, due_fen, paid_fen, above_cap_fen, approved_by, approved_at
     FROM assistance_applications WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function applicationsForCase(q: Queryable, caseId: number): Promise<(ApplicationRow & { exceptions: unknown[] })[]> {
  return q.query<ApplicationRow & { exceptions: unknown[] } & Record<string, unknown>>(
    `SELECT a.id, a.case_id, a.person_id, a.year, a.identity, a.ratio_bp, a.base_fen, a.due_fen, a.paid_fen, a.above_cap_fen,
       a.approved_by, a.approved_at,
       coalesce((SELECT jsonb_agg(jsonb_build_object('id', e.id, 'amount', e.amount_fen, 'reason', e.reason,
         'approvedBy', e.approved_by, 'approvedAt', e.approved_at) ORDER BY e.id)
         FROM assistance_exceptions e WHERE e.application_id = a.id), '[]'::jsonb) AS exceptions
     FROM assistance_applications a WHERE a.case_id = $1 ORDER BY a.id`,
    [caseId],
  );
}

export async function exceptionsTotal(q: Queryable, applicationId: number): Promise<number> {
  const [row] = await q.query<{ total: number }>(
    'SELECT coalesce(sum(amount_fen), 0)::bigint AS total FROM assistance_exceptions WHERE application_id = $1',
    [applicationId],
  );
  return row?.total ?? 0;
}

export async function insertException(q: Queryable, e: { applicationId: number; amount: number; reason: string; approvedBy: string }): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    'INSERT INTO assistance_exceptions (application_id, amount_fen, reason, approved_by) VALUES ($1, $2, $3, $4) RETURNING id',
    [e.applicationId, e.amount, e.reason, e.approvedBy],
  );
  return row!.id;
}

/** What an application paid: within the caps, by exception, and in all; undefined when it is not this case's. */
export async function paidForApplication(q: Queryable, applicationId: number, caseId: number): Promise<{ paid: number; exceptions: number; total: number } | undefined> {
  const a = await findApplication(q, applicationId);
  if (!a || a.case_id !== caseId) return undefined;
  const exceptions = await exceptionsTotal(q, applicationId);
  return { paid: a.paid_fen, exceptions, total: a.paid_fen + exceptions };
}

/**
 * Every application's payment on these bills as it stands (its item plus each re-adjudication's change of it,
 * recorded as an `assistance_recovery` entry: < 0 recovered, > 0 paid more), with the application's ratio.
 */
export async function applicationItemsOf(
  q: Queryable,
  settlementIds: readonly number[],
): Promise<{ application_id: number; settlement_id: number; pool: 'ordinary' | 'major'; ratio_bp: number; paid_fen: number }[]> {
  if (settlementIds.length === 0) return [];
  const rows = await q.query<{ application_id: number; settlement_id: number; pool: 'ordinary' | 'major'; ratio_bp: number; paid_fen: number }>(
    `SELECT i.application_id, i.settlement_id, i.pool, a.ratio_bp,
       (i.paid_fen + coalesce((SELECT sum(x.assistance_fen) FROM settlement_adjustments x
          WHERE x.kind = 'assistance_recovery' AND x.application_id = i.application_id AND x.settlement_id = i.settlement_id), 0))::bigint AS paid_fen
     FROM assistance_application_items i JOIN assistance_applications a ON a.id = i.application_id
     WHERE i.settlement_id = ANY($1::bigint[]) ORDER BY i.application_id, i.settlement_id`,
    [settlementIds],
  );
  return rows.map((r) => ({ application_id: Number(r.application_id), settlement_id: Number(r.settlement_id), pool: r.pool, ratio_bp: Number(r.ratio_bp), paid_fen: Number(r.paid_fen) }));
}

/** The applications covering any of these bills that have case-by-case approvals: their bills, approvals and what was recovered of them. */
export async function exceptionsOnBills(q: Queryable, settlementIds: readonly number[]): Promise<{
  application_id: number;
  case_id: number;
  items: { settlementId: number; withheld: number }[];
  exceptions: { id: number; amount: number }[];
  recovered: { exceptionId: number; settlementId: number; amount: number }[];
}[]> {
  if (settlementIds.length === 0) return [];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT a.id AS application_id, a.case_id,
       (SELECT jsonb_agg(jsonb_build_object('settlementId', i.settlement_id, 'withheld', i.due_fen - i.paid_fen) ORDER BY i.settlement_id)
          FROM assistance_application_items i WHERE i.application_id = a.id) AS items,
       (SELECT jsonb_agg(jsonb_build_object('id', e.id, 'amount', e.amount_fen) ORDER BY e.id) FROM assistance_exceptions e WHERE e.application_id = a.id) AS exceptions,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('exceptionId', x.exception_id, 'settlementId', x.settlement_id, 'amount', -x.assistance_fen)), '[]'::jsonb)
          FROM settlement_adjustments x WHERE x.kind = 'exception_recovery' AND x.application_id = a.id) AS recovered
     FROM assistance_applications a
     WHERE EXISTS (SELECT 1 FROM assistance_exceptions e WHERE e.application_id = a.id)
       AND EXISTS (SELECT 1 FROM assistance_application_items i WHERE i.application_id = a.id AND i.settlement_id = ANY($1::bigint[]))
     ORDER BY a.id`,
    [settlementIds],
  );
  const num = <T extends Record<string, unknown>>(list: unknown): T[] => ((list ?? []) as Record<string, unknown>[]).map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)])) as T);
  return rows.map((r) => ({
    application_id: Number(r.application_id),
    case_id: Number(r.case_id),
    items: num(r.items),
    exceptions: num(r.exceptions),
    recovered: num(r.recovered),
  }));
}
