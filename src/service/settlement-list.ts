/**
 * The console's settlement list: one page with the real total, by person or
 * year, names masked by the one rule (showPerson); or the whole selection as
 * CSV or XLSX (amounts in yuan from integer fen, names masked the same way).
 */
import type { StaffContext } from '../domain/access.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import { showPerson } from '../domain/privacy.ts';
import type { Queryable } from '../store/db.ts';
import { listSettlementsOfDivision, type SettlementListRow } from '../store/repositories/settlement-list.ts';
import { toCsv, toXlsx, type Sheet, type TableFormat } from './tabular.ts';

export interface SettlementQuery {
  readonly personId?: number | undefined;
  readonly year?: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

/** The most rows one export holds; past it the export says so in its last row rather than silently stopping. */
export const EXPORT_MAX_ROWS = 100_000;

const present = (s: SettlementListRow) => ({
  id: s.id, personId: s.person_id, personName: showPerson({ name: s.person_name, idNumber: '', phone: null }, false).name, divisionCode: s.division_code,
  date: s.visit_date, kind: s.kind, facility: s.facility, total: Number(s.total_fen), funds: Number(s.funds_fen), selfPay: Number(s.self_pay),
  status: s.status, adjustments: Number(s.adjustments ?? 0),
});

export async function settlementPage(q: Queryable, staff: StaffContext, query: SettlementQuery) {
  const { total, rows } = await listSettlementsOfDivision(q, { divisionPrefix: staff.divisionCode, ...query });
  return { total, limit: query.limit, offset: query.offset, items: rows.map(present) };
}

export async function exportSettlements(q: Queryable, staff: StaffContext, query: Omit<SettlementQuery, 'limit' | 'offset'>, format: TableFormat): Promise<Buffer> {
  const { total, rows } = await listSettlementsOfDivision(q, { divisionPrefix: staff.divisionCode, ...query, limit: EXPORT_MAX_ROWS, offset: 0 });
  const yuan = (fen: number) => formatYuan(Number(fen) as Fen);
  const sheet: Sheet = {
    name: 'settlements',
    columns: ['id', 'visit_date', 'person', 'division_code', 'facility', 'kind', 'total_yuan', 'funds_yuan', 'self_pay_yuan', 'status', 'adjustments'],
    rows: [
      ...rows.map((r) => {
        const s = present(r);
        return [s.id, s.date, s.personName, s.divisionCode, s.facility, s.kind, yuan(s.total), yuan(s.funds), yuan(s.selfPay), s.status, s.adjustments];
      }),
      ...(total > rows.length ? [[`… ${total - rows.length} more: narrow the selection (year, person)`]] : []),
    ],
  };
  return format === 'csv' ? toCsv(sheet) : toXlsx([sheet]);
}
