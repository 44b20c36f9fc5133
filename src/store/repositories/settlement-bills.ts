/** What the bureau computed of each settlement's bill (settlement_bills) and its priced lines (settlement_lines). */
import type { PricedLine } from '../../domain/catalogue/pricing.ts';
import type { Queryable } from '../db.ts';

export interface BillWrite {
  personId: number;
  facilityId: number;
  kind: string;
  admissionDate: string;
  dischargeDate: string | null;
  diagnosis: string | null;
  verification: 'itemised' | 'unverified';
  declaredCompliant: number | null;
  aboveCap: number;
  excluded: number;
  selfPayFirst: number;
  chronic: { region: string; code: string; approvalId: number; fund: number } | null;
}

/** Adds a value to a statement's parameters and answers its placeholder. */
export type Param = (value: unknown) => string;

/**
 * The bill and its priced lines as two common table expressions of the
 * statement that writes the settlement (`settlementId` is that statement's
 * expression for the new id), so the settle path makes no round trip for them.
 */
export function billCtes(settlementId: string, b: BillWrite, lines: readonly PricedLine[], $: Param): string[] {
  const bill = `bill AS (
       INSERT INTO settlement_bills (settlement_id, person_id, facility_id, kind, admission_date, discharge_date, diagnosis, verification,
         declared_compliant_fen, above_cap_fen, excluded_fen, self_pay_first_fen, chronic_disease_region, chronic_disease_code, chronic_approval_id, chronic_fund_fen)
       SELECT ${settlementId}, ${[
         b.personId, b.facilityId, b.kind, b.admissionDate, b.dischargeDate, b.diagnosis, b.verification, b.declaredCompliant,
         b.aboveCap, b.excluded, b.selfPayFirst, b.chronic?.region ?? null, b.chronic?.code ?? null, b.chronic?.approvalId ?? null, b.chronic?.fund ?? 0,
       ].map((v, i) => `${$(v)}${BILL_CASTS[i]}`).join(', ')})`;
  if (lines.length === 0) return [bill];
  const col = <T>(f: (l: PricedLine) => T) => $(lines.map(f));
  return [bill, `bill_lines AS (
       INSERT INTO settlement_lines (settlement_id, line_no, code, class, service_date, department, quantity, unit_price_fen, amount_fen,
         above_cap_fen, excluded_fen, self_pay_first_fen, compliant_fen)
       SELECT ${settlementId}, t.* FROM unnest(${col((l) => l.index)}::int[], ${col((l) => l.code)}::text[], ${col((l) => l.class)}::text[],
         ${col((l) => l.date)}::date[], ${col((l) => l.department)}::text[], ${col((l) => l.quantity)}::int[], ${col((l) => l.unitPrice)}::bigint[],
         ${col((l) => l.amount)}::bigint[], ${col((l) => l.aboveCap)}::bigint[], ${col((l) => l.excluded)}::bigint[],
         ${col((l) => l.selfPayFirst)}::bigint[], ${col((l) => l.compliant)}::bigint[]) AS t)`];
}

/** Types of the bill's values, which a SELECT (unlike VALUES into the table) does not infer. */
const BILL_CASTS = ['::bigint', '::bigint', '::text', '::date', '::date', '::text', '::text', '::bigint', '::bigint', '::bigint', '::bigint', '::text', '::text', '::bigint', '::bigint'];

export interface BillRow {
  settlement_id: number;
  person_id: number;
  facility_id: number;
  kind: string;
  admission_date: string;
  discharge_date: string | null;
  diagnosis: string | null;
  verification: 'itemised' | 'unverified';
  declared_compliant_fen: number | null;
  above_cap_fen: number;
  excluded_fen: number;
  self_pay_first_fen: number;
  chronic_disease_region: string | null;
  chronic_disease_code: string | null;
  chronic_approval_id: number | null;
  chronic_fund_fen: number;
}

export interface StoredLine {
  index: number;
  code: string;
  name: string | null;
  class: 'A' | 'B' | 'C';
  date: string;
  department: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  aboveCap: number;
  excluded: number;
  selfPayFirst: number;
  compliant: number;
}

const BILL_COLUMNS = `settlement_id, person_id, facility_id, kind, admission_date::text AS admission_date, discharge_date::text AS discharge_date,
  diagnosis, verification, declared_compliant_fen, above_cap_fen, excluded_fen, self_pay_first_fen, chronic_disease_region, chronic_disease_code,
  chronic_approval_id, chronic_fund_fen`;

export async function readBill(q: Queryable, settlementId: number): Promise<{ bill: BillRow; lines: StoredLine[] } | undefined> {
  const [bill] = await q.query<BillRow & Record<string, unknown>>(`SELECT ${BILL_COLUMNS} FROM settlement_bills WHERE settlement_id = $1`, [settlementId]);
  if (!bill) return undefined;
  const lines = await q.query<StoredLine & Record<string, unknown>>(
    `SELECT l.line_no AS "index", l.code, (SELECT c.name FROM catalogue_items c WHERE c.code = l.code ORDER BY c.valid_from DESC LIMIT 1) AS name,
       l.class, l.service_date::text AS "date", l.department, l.quantity, l.unit_price_fen AS "unitPrice", l.amount_fen AS amount,
       l.above_cap_fen AS "aboveCap", l.excluded_fen AS excluded, l.self_pay_first_fen AS "selfPayFirst", l.compliant_fen AS compliant
     FROM settlement_lines l WHERE l.settlement_id = $1 ORDER BY l.line_no`,
    [settlementId],
  );
  return { bill, lines: lines.map((l) => ({ ...l, unitPrice: Number(l.unitPrice), amount: Number(l.amount), aboveCap: Number(l.aboveCap), excluded: Number(l.excluded), selfPayFirst: Number(l.selfPayFirst), compliant: Number(l.compliant) })) };
}
