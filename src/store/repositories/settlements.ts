/** Visits, settlements (one row per fund) and their reversal. */
import type { Step, Visit, YearToDate } from '../../domain/engine/types.ts';
import { FUNDS, type Fund } from '../../domain/vocabulary.ts';
import type { Queryable } from '../db.ts';
import { decodeSteps, encodeSteps } from './steps-codec.ts';
import { yearToDateOf } from './year-to-date-codec.ts';

export interface SettlementRow {
  id: number;
  facility_id: number;
  facility_code: string;
  facility_name: string;
  /** Absent on a row built in memory at settlement time. */
  facility_name_bo?: string | null;
  transaction_id: string;
  request_hash: string;
  person_id: number;
  year: number;
  policy_id: string;
  visit_kind: Visit['kind'];
  visit_level: number;
  visit_date: string;
  total_fen: number;
  compliant_fen: number;
  funds_fen: number;
  self_pay_compliant: number;
  self_pay_excluded: number;
  self_pay: number;
  above_cap_fen: number;
  steps: Step[];
  ytd_delta: YearToDate;
  status: 'settled' | 'reversed';
  reversal_id: string | null;
  reversed_at: Date | null;
  settled_at: Date;
  funds: Record<Fund, number>;
}

const SELECT = `SELECT s.id, s.facility_id, f.code AS facility_code, f.name AS facility_name, f.name_bo AS facility_name_bo, s.transaction_id, s.request_hash,
  s.person_id, s.year, s.policy_id, v.kind AS visit_kind, v.level AS visit_level, v.visit_date::text AS visit_date,
  s.total_fen, s.compliant_fen, s.funds_fen, s.self_pay_compliant, s.self_pay_excluded, s.self_pay, s.above_cap_fen,
  s.steps, s.ytd_delta, s.status, s.reversal_id, s.reversed_at, s.settled_at,
  (SELECT jsonb_object_agg(sf.fund, sf.amount_fen) FROM settlement_funds sf WHERE sf.settlement_id = s.id) AS funds
  FROM settlements s JOIN visits v ON v.id = s.visit_id JOIN facilities f ON f.id = s.facility_id`;

/** A stored row as callers see it: every fund (one that paid nothing has no row), the steps and year-to-date change whole. */
function normalize(row: SettlementRow): SettlementRow {
  const funds = {} as Record<Fund, number>;
  for (const fund of FUNDS) funds[fund] = Number(row.funds?.[fund] ?? 0);
  return { ...row, funds, steps: decodeSteps<Step>(row.steps), ytd_delta: yearToDateOf(row.ytd_delta) };
}

export async function findSettlementByTransaction(
  q: Queryable,
  facilityId: number,
  transactionId: string,
  lock = false,
): Promise<SettlementRow | undefined> {
  const rows = await q.query<SettlementRow & Record<string, unknown>>(
    // Through the global key (settlement_keys): one index probe, then the one partition holding the id.
    `${SELECT} WHERE s.id = (SELECT k.settlement_id FROM settlement_keys k WHERE k.facility_id = $1 AND k.transaction_id = $2)
       AND s.facility_id = $1${lock ? ' FOR UPDATE OF s' : ''}`,
    [facilityId, transactionId],
  );
  return rows[0] ? normalize(rows[0]) : undefined;
}

export async function findSettlementById(q: Queryable, id: number): Promise<SettlementRow | undefined> {
  const rows = await q.query<SettlementRow & Record<string, unknown>>(`${SELECT} WHERE s.id = $1`, [id]);
  return rows[0] ? normalize(rows[0]) : undefined;
}

/** A person's settlements of a year; scoped to one facility when facilityId is given. */
export async function listSettlements(
  q: Queryable,
  filter: { personId?: number; year?: number; facilityId?: number; limit?: number; offset?: number },
): Promise<SettlementRow[]> {
  const rows = await q.query<SettlementRow & Record<string, unknown>>(
    `${SELECT} WHERE ($1::bigint IS NULL OR s.person_id = $1) AND ($2::int IS NULL OR s.year = $2)
       AND ($3::bigint IS NULL OR s.facility_id = $3)
     ORDER BY s.id DESC LIMIT $4 OFFSET $5`,
    [filter.personId ?? null, filter.year ?? null, filter.facilityId ?? null, filter.limit ?? 100, filter.offset ?? 0],
  );
  return rows.map(normalize);
}

/** How many settlements match a filter (for paging). */
export async function countSettlements(q: Queryable, filter: { personId?: number; year?: number; facilityId?: number }): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM settlements s WHERE ($1::bigint IS NULL OR s.person_id = $1) AND ($2::int IS NULL OR s.year = $2)
       AND ($3::bigint IS NULL OR s.facility_id = $3)`,
    [filter.personId ?? null, filter.year ?? null, filter.facilityId ?? null],
  );
  return row!.n;
}

/** The alerts the settlement's first answer listed; null for a settlement written before they were kept (first_alerts). */
export async function firstAlerts<T>(q: Queryable, id: number): Promise<T[] | null> {
  const [row] = await q.query<{ first_alerts: T[] | null }>('SELECT first_alerts FROM settlements WHERE id = $1', [id]);
  return row?.first_alerts ?? null;
}

/** The real-time alerts a settlement raised, as the alerts table holds them (for settlements written before first_alerts). */
export async function realtimeAlertsOfSettlement(
  q: Queryable,
  id: number,
): Promise<{ threshold_id: string; threshold_fen: number; yearly_self_pay: number; risk: string; departments: string[] }[]> {
  return q.query(
    `SELECT threshold_id, threshold_fen, yearly_self_pay, risk, departments FROM alerts
     WHERE settlement_id = $1 AND source = 'realtime' ORDER BY id`,
    [id],
  );
}

/** Stores a settlement's explanation anew (its funds' steps and the steps after them, e.g. what the personal accounts paid). */
export async function storeSteps(q: Queryable, id: number, steps: readonly object[]): Promise<void> {
  await q.query('UPDATE settlements SET steps = $2 WHERE id = $1', [id, encodeSteps(steps)]);
}

/** Marks the settlement reversed; returns when. */
export async function markReversed(q: Queryable, id: number, reversalId: string): Promise<Date> {
  const [row] = await q.query<{ reversed_at: Date }>(
    `UPDATE settlements SET status = 'reversed', reversal_id = $2, reversed_at = now() WHERE id = $1 RETURNING reversed_at`,
    [id, reversalId],
  );
  return row!.reversed_at;
}
