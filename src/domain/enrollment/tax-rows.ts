/**
 * The tax bureau's collection file (税务征收明细): premiums are collected by
 * the tax bureau in practice, and this file is how the money meets the
 * register. One row per tax voucher; every row checked before anything is
 * written. Columns (header in English or Chinese):
 *
 * | column | meaning |
 * |---|---|
 * | `voucher_no` (完税凭证号, 税票号, 凭证号) | the tax bureau's voucher number, unique |
 * | `id_number` (身份证号, 证件号码) | the payer's ID number (GB 11643) |
 * | `year` (缴费年度, 费款所属期) | the insurance year paid for |
 * | `amount` (缴费金额, 金额) | yuan, as written (`400`, `400.00`), parsed digit by digit |
 * | `paid_on` (缴费日期, 入库日期) | the day paid |
 * | `name` (姓名) | optional, not stored |
 */
import { idNumberProblem } from '../id-number.ts';
import { MoneyError, parseYuan, type Fen } from '../money.ts';
import { findColumns, hasControlCharacter, type RowProblem } from '../register/table-columns.ts';
import { parseRosterDate } from './roster-rows.ts';
import { checkRows } from '../table-rows.ts';

export interface TaxRow {
  readonly row: number;
  readonly voucherNo: string;
  readonly idNumber: string;
  readonly year: number;
  readonly amount: Fen;
  readonly paidOn: string;
}

const HEADERS = {
  voucherNo: ['voucher_no', 'voucher', '完税凭证号', '税票号', '凭证号', '电子税票号码'],
  idNumber: ['id_number', 'idnumber', '身份证号', '身份证号码', '证件号码', '公民身份号码'],
  year: ['year', '缴费年度', '费款所属期', '所属年度'],
  amount: ['amount', '缴费金额', '金额', '实缴金额'],
  paidOn: ['paid_on', 'date', '缴费日期', '入库日期'],
} as const;

/** Checks every data row of the tax bureau's file; `today` bounds the dates. */
export function checkTaxRows(table: readonly (readonly string[])[], today: string): { rows: TaxRow[]; problems: RowProblem[]; rowsTotal: number } {
  const [header, ...data] = table;
  if (!header) return { rows: [], problems: [], rowsTotal: 0 };
  const col = findColumns(header, HEADERS, ['voucherNo', 'idNumber', 'year', 'amount', 'paidOn']);
  const seen = new Map<string, number>();
  const { entries: rows, problems, rowsTotal } = checkRows(data, (cells, { row, bad }): TaxRow => {
    const cell = (c: number) => (c >= 0 ? (cells[c] ?? '').trim() : '');
    const voucherNo = cell(col.voucherNo);
    if (voucherNo === '') bad('voucher number is missing');
    else if (voucherNo.length > 60 || hasControlCharacter(voucherNo)) bad('voucher number is not a plain text of at most 60 characters');
    else if (seen.has(voucherNo)) bad(`the same voucher number as row ${seen.get(voucherNo)}`);
    else seen.set(voucherNo, row);
    const idNumber = cell(col.idNumber).toUpperCase();
    const idProblem = idNumber === '' ? 'is missing' : idNumberProblem(idNumber);
    if (idProblem) bad(`ID number ${idProblem}`);
    const yearText = cell(col.year);
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!(year >= 2000 && year <= 2100)) bad(`year "${yearText.slice(0, 10)}" is not a year`);
    let amount = 0;
    try {
      amount = parseYuan(cell(col.amount));
      if (amount <= 0) bad('amount must be above 0');
    } catch (error) {
      bad(`amount: ${(error as MoneyError).message}`);
    }
    const paidText = cell(col.paidOn);
    const paidOn = parseRosterDate(paidText);
    if (paidOn === null) bad(`paid-on "${paidText.slice(0, 20)}" is not a date (YYYY-MM-DD)`);
    else if (paidOn > today) bad(`paid-on ${paidOn} is after today`);
    return { row, voucherNo, idNumber, year, amount, paidOn: paidOn! };
  });
  return { rows, problems, rowsTotal };
}

export type ReconcileStatus = 'matched' | 'only_in_tax' | 'only_in_sanbao' | 'amount_differs';

/** Where a person's year stands between the tax bureau's sum and Sanbao's own payments. */
export function reconcileStatus(tax: Fen | null, sanbao: Fen | null): ReconcileStatus {
  if (tax === null) return 'only_in_sanbao';
  if (sanbao === null) return 'only_in_tax';
  return tax === sanbao ? 'matched' : 'amount_differs';
}
