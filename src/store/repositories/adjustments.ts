/**
 * Re-adjudications and their adjustment entries (补付 / 追回), and the ledger a
 * re-adjudication reads: a person's settled bills of a year, in the order they
 * were settled, each with what it stands at (its settlement plus its adjustments).
 */
import { YEAR_TO_DATE_FIELDS, type Step, type YearToDate } from '../../domain/engine/types.ts';
import { FUNDS, type Fund, type VisitKind } from '../../domain/vocabulary.ts';
import type { Queryable } from '../db.ts';
import { yearToDateOf } from './year-to-date-codec.ts';

export interface LedgerRow {
  id: number;
  facility_id: number;
  transaction_id: string;
  policy_id: string;
  visit_kind: VisitKind;
  visit_level: 0 | 1 | 2 | 3;
  visit_date: string;
  out_of_area: boolean;
  filed: boolean;
  major_illness: boolean;
  chronic_class: 'A' | 'B' | null;
  /** The engine's bill date (null: the visit date) and a chronic visit's catalogue category, as settled. */
  bill_date: string | null;
  chronic_category: number | null;
  total_fen: number;
  compliant_fen: number;
  /** Amounts, funds and the rest: the settlement plus its adjustments (a correction changes the amounts). */
  funds: Record<Fund, number>;
  self_pay: number;
  ytd_delta: YearToDate;
}

const ytdOf = yearToDateOf;

/** The person's settled bills of the year, oldest first (settlement ids follow the per-person lock), adjustments folded in. */
export async function ledgerOf(q: Queryable, personId: number, year: number): Promise<LedgerRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT s.id, s.facility_id, s.transaction_id, s.policy_id, v.kind AS visit_kind, v.level AS visit_level,
       v.visit_date::text AS visit_date, v.out_of_area, v.filed, v.major_illness, v.chronic_class,
       v.bill_date::text AS bill_date, v.chronic_category,
       s.total_fen, s.compliant_fen, s.self_pay, s.ytd_delta,
       (SELECT jsonb_object_agg(sf.fund, sf.amount_fen) FROM settlement_funds sf WHERE sf.settlement_id = s.id) AS funds,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('basic', a.basic_fen, 'critical', a.critical_fen, 'assistance', a.assistance_fen,
           'supplementary', a.supplementary_fen, 'tilt', a.tilt_fen, 'selfPay', a.self_pay_fen, 'ytd', a.ytd_delta,
           'total', a.total_fen, 'compliant', a.compliant_fen) ORDER BY a.id), '[]'::jsonb)
          FROM settlement_adjustments a WHERE a.settlement_id = s.id AND a.kind = 'readjudication') AS adjustments
     FROM settlements s JOIN visits v ON v.id = s.visit_id
     WHERE s.person_id = $1 AND s.year = $2 AND s.status = 'settled'
     ORDER BY s.id`,
    [personId, year],
  );
  return rows.map((r) => {
    const funds = {} as Record<Fund, number>;
    const raw = (r.funds ?? {}) as Record<string, unknown>;
    for (const f of FUNDS) funds[f] = Number(raw[f] ?? 0);
    let selfPay = Number(r.self_pay);
    let total = Number(r.total_fen);
    let compliant = Number(r.compliant_fen);
    const ytd = ytdOf(r.ytd_delta);
    for (const a of r.adjustments as Record<string, unknown>[]) {
      for (const f of FUNDS) funds[f] += Number(a[f]);
      selfPay += Number(a.selfPay);
      total += Number(a.total);
      compliant += Number(a.compliant);
      const d = ytdOf(a.ytd);
      for (const f of YEAR_TO_DATE_FIELDS) ytd[f] += d[f];
    }
    return {
      id: Number(r.id),
      facility_id: Number(r.facility_id),
      transaction_id: String(r.transaction_id),
      policy_id: String(r.policy_id),
      visit_kind: r.visit_kind as VisitKind,
      visit_level: Number(r.visit_level) as 0 | 1 | 2 | 3,
      visit_date: String(r.visit_date),
      out_of_area: r.out_of_area === true,
      filed: r.filed === true,
      major_illness: r.major_illness === true,
      chronic_class: (r.chronic_class as 'A' | 'B' | null) ?? null,
      bill_date: (r.bill_date as string | null) ?? null,
      chronic_category: r.chronic_category === null || r.chronic_category === undefined ? null : Number(r.chronic_category),
      total_fen: total,
      compliant_fen: compliant,
      funds,
      self_pay: selfPay,
      ytd_delta: ytd,
    };
  });
}

export async function findReadjudication(
  q: Queryable,
  settlementId: number,
  change: 'reversal' | 'correction',
  ref: string,
): Promise<{ id: number; request: Record<string, unknown> } | undefined> {
  const [row] = await q.query<{ id: number; request: Record<string, unknown> }>(
    'SELECT id, request FROM readjudications WHERE settlement_id = $1 AND change = $2 AND change_ref = $3',
    [settlementId, change, ref],
  );
  return row ? { id: Number(row.id), request: row.request } : undefined;
}

export async function insertReadjudication(
  q: Queryable,
  r: { personId: number; year: number; settlementId: number; change: 'reversal' | 'correction'; changeRef: string; actor: string; request?: Record<string, unknown> },
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO readjudications (person_id, year, settlement_id, change, change_ref, actor, request) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [r.personId, r.year, r.settlementId, r.change, r.changeRef, r.actor, JSON.stringify(r.request ?? {})],
  );
  return Number(row!.id);
}

export interface NewAdjustment {
  settlementId: number;
  kind: 'readjudication' | 'assistance_recovery' | 'exception_recovery';
  funds: Record<Fund, number>;
  selfPay: number;
  /** A corrected bill's change of amounts (0 for every other entry). */
  total: number;
  compliant: number;
  ytdDelta: YearToDate;
  steps: readonly Step[] | null;
  applicationId: number | null;
  /** An exception_recovery's case-by-case approval. */
  exceptionId?: number | null;
}

/** Writes a re-adjudication's entries in one statement. */
export async function insertAdjustments(q: Queryable, readjudicationId: number, personId: number, year: number, entries: readonly NewAdjustment[]): Promise<void> {
  if (entries.length === 0) return;
  await q.query(
    `INSERT INTO settlement_adjustments (readjudication_id, settlement_id, person_id, year, kind, basic_fen, critical_fen, assistance_fen,
       supplementary_fen, tilt_fen, self_pay_fen, total_fen, compliant_fen, ytd_delta, steps, application_id, exception_id)
     SELECT $1, x.settlement_id, $2, $3, x.kind, x.basic, x.critical, x.assistance, x.supplementary, x.tilt, x.self_pay, x.total, x.compliant,
       x.ytd_delta, x.steps, x.application_id, x.exception_id
     FROM jsonb_to_recordset($4::jsonb) AS x(settlement_id bigint, kind text, basic bigint, critical bigint, assistance bigint,
       supplementary bigint, tilt bigint, self_pay bigint, total bigint, compliant bigint, ytd_delta jsonb, steps jsonb, application_id bigint,
       exception_id bigint)`,
    [
      readjudicationId,
      personId,
      year,
      JSON.stringify(
        entries.map((e) => ({
          settlement_id: e.settlementId, kind: e.kind, ...e.funds, self_pay: e.selfPay, total: e.total, compliant: e.compliant,
          ytd_delta: e.ytdDelta, steps: e.steps, application_id: e.applicationId, exception_id: e.exceptionId ?? null,
        })),
      ),
    ],
  );
}

/** An adjustment entry as it is read back: the bill it corrects, why, and the per-fund difference. */
export interface AdjustmentRow {
  id: number;
  readjudication_id: number;
  settlement_id: number;
  transaction_id: string;
  facility_id: number;
  person_id: number;
  year: number;
  kind: 'readjudication' | 'assistance_recovery' | 'exception_recovery';
  funds: Record<Fund, number>;
  self_pay: number;
  /** A correction's change of the bill's total and compliant cost. */
  total: number;
  compliant: number;
  steps: Step[] | null;
  application_id: number | null;
  created_at: Date;
  /** The change that caused it: the bill reversed or corrected. */
  cause: { change: 'reversal' | 'correction'; ref: string; settlementId: number; transactionId: string; visitDate: string; facilityName: string };
}

const SELECT = `SELECT a.id, a.readjudication_id, a.settlement_id, s.transaction_id, s.facility_id, a.person_id, a.year, a.kind,
    jsonb_build_object('basic', a.basic_fen, 'critical', a.critical_fen, 'assistance', a.assistance_fen,
      'supplementary', a.supplementary_fen, 'tilt', a.tilt_fen) AS funds,
    a.self_pay_fen AS self_pay, a.total_fen AS total, a.compliant_fen AS compliant, a.steps, a.application_id, a.created_at,
    jsonb_build_object('change', r.change, 'ref', r.change_ref, 'settlementId', r.settlement_id, 'transactionId', cs.transaction_id,
      'visitDate', cv.visit_date::text, 'facilityName', cf.name) AS cause
  FROM settlement_adjustments a
  JOIN settlements s ON s.id = a.settlement_id
  JOIN readjudications r ON r.id = a.readjudication_id
  JOIN settlements cs ON cs.id = r.settlement_id JOIN visits cv ON cv.id = cs.visit_id JOIN facilities cf ON cf.id = cs.facility_id`;

function normalize(r: AdjustmentRow & Record<string, unknown>): AdjustmentRow {
  const funds = {} as Record<Fund, number>;
  for (const f of FUNDS) funds[f] = Number(r.funds[f] ?? 0);
  return {
    ...r,
    id: Number(r.id), readjudication_id: Number(r.readjudication_id), settlement_id: Number(r.settlement_id), facility_id: Number(r.facility_id),
    person_id: Number(r.person_id), self_pay: Number(r.self_pay), total: Number(r.total), compliant: Number(r.compliant), application_id: r.application_id === null ? null : Number(r.application_id), funds,
  };
}

/** The entries correcting these bills, oldest first. */
export async function adjustmentsOfSettlements(q: Queryable, settlementIds: readonly number[]): Promise<AdjustmentRow[]> {
  if (settlementIds.length === 0) return [];
  const rows = await q.query<AdjustmentRow & Record<string, unknown>>(`${SELECT} WHERE a.settlement_id = ANY($1::bigint[]) ORDER BY a.id`, [settlementIds]);
  return rows.map(normalize);
}

/** Entries of a year, for a facility's reconciliation (its own bills only) or a re-adjudication. */
export async function listAdjustments(
  q: Queryable,
  f: { year?: number | undefined; facilityId?: number | undefined; personId?: number | undefined; readjudicationId?: number | undefined; limit?: number; offset?: number },
): Promise<AdjustmentRow[]> {
  const rows = await q.query<AdjustmentRow & Record<string, unknown>>(
    `${SELECT} WHERE ($1::int IS NULL OR a.year = $1) AND ($2::bigint IS NULL OR s.facility_id = $2) AND ($3::bigint IS NULL OR a.person_id = $3)
       AND ($4::bigint IS NULL OR a.readjudication_id = $4)
     ORDER BY a.id LIMIT $5 OFFSET $6`,
    [f.year ?? null, f.facilityId ?? null, f.personId ?? null, f.readjudicationId ?? null, f.limit ?? 1000, f.offset ?? 0],
  );
  return rows.map(normalize);
}
