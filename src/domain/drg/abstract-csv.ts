/**
 * Settlement lists as a CSV/XLSX table, one discharge per row, turned into the
 * 4101 shape `readAbstract` checks. Codes of several diagnoses or procedures
 * are separated by `|`; amounts are yuan (at most two decimals), parsed digit
 * by digit into fen.
 */
import { MoneyError, parseYuan } from '../money.ts';

export const ABSTRACT_CSV_COLUMNS = [
  'fixmedins_code', 'setl_id', 'mdtrt_id', 'psn_no', 'gend', 'age', 'nwb_age', 'nwb_bir_wt', 'adm_time', 'dscg_time', 'ipt_days', 'dscg_way',
  'main_diag_code', 'other_diag_codes', 'main_oprn_code', 'other_oprn_codes', 'medfee_sumamt', 'psn_selfpay', 'fund_pay_sumamt',
] as const;
const REQUIRED = ['setl_id', 'psn_no', 'age', 'adm_time', 'dscg_time', 'ipt_days', 'dscg_way', 'main_diag_code', 'medfee_sumamt', 'psn_selfpay', 'fund_pay_sumamt'] as const;
const MONEY = ['medfee_sumamt', 'psn_selfpay', 'fund_pay_sumamt'] as const;
const INTEGERS = ['age', 'nwb_age', 'nwb_bir_wt', 'ipt_days'] as const;

export type CsvHeader = Record<(typeof ABSTRACT_CSV_COLUMNS)[number], number>;

/** The column positions, or the problem with the header. */
export function readAbstractHeader(header: readonly string[]): { at: CsvHeader } | { problem: string } {
  const names = header.map((h) => h.trim().toLowerCase());
  const at = Object.fromEntries(ABSTRACT_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as CsvHeader;
  const missing = REQUIRED.filter((c) => at[c] < 0);
  if (missing.length) return { problem: `the header lacks ${missing.join(', ')} (columns: ${ABSTRACT_CSV_COLUMNS.join(',')})` };
  return { at };
}

const codes = (text: string) => text.split('|').map((c) => c.trim()).filter((c) => c !== '');

/** One row as a 4101 object and the facility code it names; or the problems of its cells. */
export function abstractFromRow(row: readonly string[], at: CsvHeader): { body: Record<string, unknown>; facility: string | null } | { problems: { field: string; message: string }[] } {
  const cell = (c: (typeof ABSTRACT_CSV_COLUMNS)[number]) => (at[c] >= 0 ? (row[at[c]] ?? '').trim() : '');
  const problems: { field: string; message: string }[] = [];
  const body: Record<string, unknown> = {};
  for (const c of ['setl_id', 'mdtrt_id', 'psn_no', 'gend', 'adm_time', 'dscg_time', 'dscg_way'] as const) if (cell(c) !== '') body[c] = cell(c);
  for (const c of INTEGERS) {
    const v = cell(c);
    if (v === '') continue;
    if (!/^\d{1,6}$/.test(v)) problems.push({ field: c, message: `"${v}" is not a whole number` });
    else body[c] = Number(v);
  }
  for (const c of MONEY) {
    const v = cell(c);
    if (v === '') continue;
    try {
      body[c] = parseYuan(v);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      problems.push({ field: c, message: error.message });
    }
  }
  const main = cell('main_diag_code');
  body.diseinfo = [...(main ? [{ diag_code: main, maindiag_flag: '1' }] : []), ...codes(cell('other_diag_codes')).map((c) => ({ diag_code: c, maindiag_flag: '0' }))];
  const oprn = cell('main_oprn_code');
  body.oprninfo = [...(oprn ? [{ oprn_oprt_code: oprn, main_oprn_flag: '1' }] : []), ...codes(cell('other_oprn_codes')).map((c) => ({ oprn_oprt_code: c, main_oprn_flag: '0' }))];
  if (problems.length) return { problems };
  return { body, facility: cell('fixmedins_code') || null };
}
