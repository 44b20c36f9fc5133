/**
 * The inter-provincial clearing list (跨省异地就医清算明细) as the national
 * platform hands it to a region: one settlement a row, money in yuan. Every
 * row is checked before anything is written; the direction of each row is
 * read from our region: insured here and treated elsewhere is 'outbound' (we
 * are the insured place, 参保地), treated here and insured elsewhere is
 * 'inbound' (we are the treatment place, 就医地). Pure.
 */
import { idNumberProblem } from '../id-number.ts';
import { MoneyError, parseYuan, type Fen } from '../money.ts';
import { VISIT_KINDS, type VisitKind } from '../vocabulary.ts';

export interface ClearingRow {
  readonly row: number;
  readonly serial: string;
  readonly direction: 'outbound' | 'inbound';
  readonly insuredRegion: string;
  readonly treatmentRegion: string;
  readonly facility: string;
  readonly idNumber: string;
  readonly visitKind: VisitKind;
  readonly date: string;
  readonly total: Fen;
  readonly fund: Fen;
  readonly account: Fen;
}

export interface ClearingProblem {
  readonly row: number;
  readonly field: string;
  readonly reason: string;
}

/** Header names accepted for each column: ours, the national interface's, and Chinese. */
const HEADERS = {
  serial: ['serial', 'setl_id', '结算id', '结算流水号'],
  insuredRegion: ['insured_region', 'insuplc_admdvs', '参保地', '参保地医保区划'],
  treatmentRegion: ['treatment_region', 'mdtrtarea_admvs', '就医地', '就医地医保区划'],
  facility: ['facility', 'fixmedins_name', '定点医药机构名称', '医疗机构'],
  idNumber: ['id_number', 'certno', '身份证号', '证件号码'],
  visitKind: ['visit_kind', 'med_type', '医疗类别'],
  date: ['date', 'setl_time', '结算日期', '结算时间'],
  total: ['total', 'medfee_sumamt', '医疗费总额'],
  fund: ['fund', 'fund_pay_sumamt', '基金支付总额'],
  account: ['account', 'acct_pay', '个人账户支出'],
} as const;
type Column = keyof typeof HEADERS;
const REQUIRED: readonly Column[] = ['serial', 'insuredRegion', 'treatmentRegion', 'facility', 'idNumber', 'visitKind', 'date', 'total', 'fund'];

/** The national med_type codes a clearing list carries, beside our own words. */
const MED_TYPES: Record<string, VisitKind> = { '11': 'outpatient', '14': 'chronic', '21': 'inpatient', 普通门诊: 'outpatient', 门诊慢特病: 'chronic', 住院: 'inpatient' };

export class ClearingFormatError extends Error {
  override readonly name = 'ClearingFormatError';
}

const FIELD_NAMES: Record<Column, string> = {
  serial: 'serial', insuredRegion: 'insured_region', treatmentRegion: 'treatment_region', facility: 'facility', idNumber: 'id_number',
  visitKind: 'visit_kind', date: 'date', total: 'total', fund: 'fund', account: 'account',
};

function columnsOf(header: readonly string[]): Record<Column, number> {
  const normalised = header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
  const out = {} as Record<Column, number>;
  for (const column of Object.keys(HEADERS) as Column[]) out[column] = normalised.findIndex((h) => (HEADERS[column] as readonly string[]).includes(h));
  for (const column of REQUIRED) {
    if (out[column] < 0) throw new ClearingFormatError(`the header row has no ${FIELD_NAMES[column]} column (accepted: ${HEADERS[column].join(', ')})`);
  }
  return out;
}

function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Whether a 6-digit region code lies inside our region (by its meaningful prefix: 540100 → 5401). */
export type RegionTest = (code: string) => boolean;

/**
 * Checks every row of the table (header first). A row is bad when a cell is
 * missing or malformed, the fund pays more than the bill, the serial repeats,
 * or neither (or both) of its places is ours.
 */
export function checkClearingTable(table: readonly (readonly string[])[], ours: RegionTest): { rows: ClearingRow[]; problems: ClearingProblem[]; rowsTotal: number } {
  if (table.length === 0) throw new ClearingFormatError('the file is empty: a header row is needed');
  const col = columnsOf(table[0]!);
  const rows: ClearingRow[] = [];
  const problems: ClearingProblem[] = [];
  const seen = new Map<string, number>();
  let rowsTotal = 0;
  for (let i = 1; i < table.length; i += 1) {
    const cells = table[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    rowsTotal += 1;
    const row = i + 1;
    const cell = (c: Column) => (col[c] >= 0 ? (cells[col[c]] ?? '').trim() : '');
    const bad = (c: Column, reason: string) => problems.push({ row, field: FIELD_NAMES[c], reason });
    const before = problems.length;
    const serial = cell('serial');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(serial)) bad('serial', 'must be 1–64 letters, digits, _ . : -');
    else if (seen.has(serial)) bad('serial', `repeats the serial of row ${seen.get(serial)}`);
    else seen.set(serial, row);
    const insured = cell('insuredRegion');
    const treatment = cell('treatmentRegion');
    if (!/^\d{6}$/.test(insured)) bad('insuredRegion', 'must be a 6-digit region code');
    if (!/^\d{6}$/.test(treatment)) bad('treatmentRegion', 'must be a 6-digit region code');
    let direction: ClearingRow['direction'] | null = null;
    if (/^\d{6}$/.test(insured) && /^\d{6}$/.test(treatment)) {
      if (insured === treatment) bad('treatmentRegion', 'is the insured place: not out of area');
      else if (ours(insured) && !ours(treatment)) direction = 'outbound';
      else if (ours(treatment) && !ours(insured)) direction = 'inbound';
      else bad('insuredRegion', 'neither the insured place nor the treatment place is ours (or both are)');
    }
    const facility = cell('facility');
    if (facility === '' || facility.length > 200) bad('facility', 'the facility name is missing or longer than 200 characters');
    const idNumber = cell('idNumber').toUpperCase();
    const idProblem = idNumberProblem(idNumber);
    if (idProblem) bad('idNumber', `ID number ${idProblem}`);
    const kindText = cell('visitKind');
    const visitKind = (VISIT_KINDS as readonly string[]).includes(kindText) ? (kindText as VisitKind) : MED_TYPES[kindText];
    if (!visitKind) bad('visitKind', `"${kindText}" is not inpatient, outpatient, chronic or a med_type 11/14/21`);
    const date = cell('date').slice(0, 10);
    if (!isDate(date)) bad('date', `"${cell('date')}" is not a date (YYYY-MM-DD)`);
    const money = (c: Column, optional = false): Fen => {
      const text = cell(c);
      if (optional && text === '') return 0;
      try {
        return parseYuan(text);
      } catch (error) {
        bad(c, error instanceof MoneyError ? error.message : 'not a yuan amount');
        return 0;
      }
    };
    const total = money('total');
    const fund = money('fund');
    const account = money('account', true);
    if (problems.length === before && fund + account > total) bad('fund', 'the fund and the account pay more than the bill');
    if (problems.length === before) {
      rows.push({ row, serial, direction: direction!, insuredRegion: insured, treatmentRegion: treatment, facility, idNumber, visitKind: visitKind!, date, total, fund, account });
    }
  }
  return { rows, problems, rowsTotal };
}
