/** What the bureau computed of each settlement's bill (settlement_bills) and its priced lines (settlement_lines). */
import type { PricedLine } from '../../domain/catalogue/pricing.ts';
import type { Queryable } from '../db.ts';

export interface BillWrite {
  settlementId: number;
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

export async function writeBill(q: Queryable, b: BillWrite, lines: readonly PricedLine[]): Promise<void> {
  await q.query(
    `INSERT INTO settlement_bills (settlement_id, person_id, facility_id, kind, admission_date, discharge_date, diagnosis, verification,
       declared_compliant_fen, above_cap_fen, excluded_fen, self_pay_first_fen, chronic_disease_region, chronic_disease_code, chronic_approval_id, chronic_fund_fen)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      b.settlementId, b.personId, b.facilityId, b.kind, b.admissionDate, b.dischargeDate, b.diagnosis, b.verification, b.declaredCompliant,
      b.aboveCap, b.excluded, b.selfPayFirst, b.chronic?.region ?? null, b.chronic?.code ?? null, b.chronic?.approvalId ?? null, b.chronic?.fund ?? 0,
    ],
  );
  if (lines.length === 0) return;
  const col = <T>(f: (l: PricedLine) => T) => lines.map(f);
  await q.query(
    `INSERT INTO settlement_lines (settlement_id, line_no, code, class, service_date, department, quantity, unit_price_fen, amount_fen,
       above_cap_fen, excluded_fen, self_pay_first_fen, compliant_fen)
     SELECT $1, t.* FROM unnest($2::int[], $3::text[], $4::text[], $5::date[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[],
       $11::bigint[], $12::bigint[], $13::bigint[]) AS t`,
    [
      b.settlementId, col((l) => l.index), col((l) => l.code), col((l) => l.class), col((l) => l.date), col((l) => l.department),
      col((l) => l.quantity), col((l) => l.unitPrice), col((l) => l.amount), col((l) => l.aboveCap), col((l) => l.excluded),
      col((l) => l.selfPayFirst), col((l) => l.compliant),
    ],
  );
}

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
