/** The monitoring case list as a file (CSV or XLSX): the same cases and the same masking as the console's page, amounts in yuan from fen. */
import { formatYuan, type Fen } from '../domain/money.ts';
import { showPerson } from '../domain/privacy.ts';
import type { CaseRow } from '../store/repositories/cases.ts';
import { toCsv, toXlsx, type Sheet, type TableFormat } from './tabular.ts';

/** The most cases one export holds; past it the file says so in its last row. */
export const CASE_EXPORT_MAX_ROWS = 100_000;

export async function exportCases(rows: readonly CaseRow[], total: number, format: TableFormat): Promise<Buffer> {
  const yuan = (fen: number) => formatYuan(Number(fen) as Fen);
  const sheet: Sheet = {
    name: 'monitoring cases',
    columns: ['id', 'year', 'status', 'risk', 'person', 'id_number', 'division_code', 'departments', 'threshold_yuan', 'yearly_self_pay_yuan', 'determination', 'raised_at'],
    rows: [
      ...rows.map((c) => {
        const shown = showPerson({ name: c.person_name, idNumber: c.id_number, phone: null }, false);
        return [
          c.id, c.year, c.status, c.risk, shown.name, shown.idNumber, c.division_code, c.departments.join(' '), yuan(c.threshold_fen), yuan(c.yearly_self_pay),
          c.determination ?? '', new Date(c.created_at).toISOString(),
        ];
      }),
      ...(total > rows.length ? [[`… ${total - rows.length} more: narrow the selection (year, status)`]] : []),
    ],
  };
  return format === 'csv' ? toCsv(sheet) : toXlsx([sheet]);
}
