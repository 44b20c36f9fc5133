/**
 * The settlement list (医保结算清单) of one discharge, as hospitals send it:
 * field names after the national interface 4101 (`setl_id`, `psn_no`,
 * `diseinfo[]`, `oprninfo[]`, …), amounts in integer fen. Checked by hand, not
 * by a schema library: the same check runs on a million abstracts in the
 * benchmark. A problem here refuses the abstract; what a coder would query
 * (unknown codes, a principal not allowed as principal) is the quality check's.
 */
import { isFen, type Fen } from '../money.ts';

export const DISCHARGE_WAYS = ['1', '2', '3', '4', '5', '9'] as const; // 医嘱离院, 转院, 转社区, 非医嘱离院, 死亡, 其他
export type DischargeWay = (typeof DISCHARGE_WAYS)[number];

/** The 14 cost categories of the settlement list (床位费 … 其他费). */
export const COST_CATEGORIES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14'] as const;

export interface DischargeAbstract {
  readonly setlId: string;
  readonly mdtrtId: string | null;
  readonly psnNo: string;
  readonly sex: 'M' | 'F' | null;
  readonly ageYears: number;
  /** Age in days, for newborns (under one year); null otherwise. */
  readonly ageDays: number | null;
  readonly newbornWeightG: number | null;
  readonly admissionDate: string;
  readonly dischargeDate: string;
  readonly iptDays: number;
  readonly dischargeWay: DischargeWay;
  readonly principal: string;
  readonly secondary: readonly string[];
  readonly mainProcedure: string | null;
  readonly otherProcedures: readonly string[];
  readonly total: Fen;
  /** What the patient paid (item-based settlement: compliant self-pay and excluded). */
  readonly patientPaid: Fen;
  /** What the funds paid in the item-based settlement. */
  readonly fundPaid: Fen;
  readonly items: readonly { readonly category: string; readonly amount: Fen }[];
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

type Json = Record<string, unknown>;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID_TEXT = /^[0-9A-Za-z_\-.]{1,40}$/;

function day(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const d = value.slice(0, 10); // "2025-06-01 08:30:00" as 4101 writes times
  if (!ISO_DAY.test(d)) return undefined;
  const t = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return new Date(t).toISOString().slice(0, 10) === d ? d : undefined;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

const flag = (v: unknown) => v === '1' || v === 1 || v === true;

/** Reads one abstract in the 4101 shape; every problem is named with its field. */
export function readAbstract(input: unknown): { abstract: DischargeAbstract; problems?: undefined } | { abstract?: undefined; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ field, message });
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { problems: [{ field: '', message: 'an abstract is a JSON object' }] };
  const o = input as Json;
  const text = (field: string, required: boolean): string | null => {
    const v = o[field];
    if (v === undefined || v === null || v === '') {
      if (required) bad(field, 'is missing');
      return null;
    }
    if (typeof v !== 'string' || !ID_TEXT.test(v)) {
      bad(field, 'must be 1–40 letters, digits, _ - or .');
      return null;
    }
    return v;
  };
  const int = (field: string, min: number, max: number, required: boolean): number | null => {
    const v = o[field];
    if (v === undefined || v === null || v === '') {
      if (required) bad(field, 'is missing');
      return null;
    }
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      bad(field, `must be a whole number from ${min} to ${max}`);
      return null;
    }
    return v;
  };
  const fen = (field: string): Fen => {
    const v = o[field];
    if (v === undefined || v === null) {
      bad(field, 'is missing');
      return 0;
    }
    if (!isFen(v)) {
      bad(field, 'must be a whole number of fen, 0 or more');
      return 0;
    }
    return v;
  };

  const setlId = text('setl_id', true);
  const mdtrtId = text('mdtrt_id', false);
  const psnNo = text('psn_no', true);
  const gend = o.gend;
  const sex = gend === '1' || gend === 1 ? 'M' : gend === '2' || gend === 2 ? 'F' : null;
  if (gend !== undefined && gend !== null && gend !== '' && sex === null) bad('gend', 'must be "1" (male) or "2" (female)');
  const ageYears = int('age', 0, 150, true);
  const ageDays = int('nwb_age', 0, 365, false);
  const newbornWeightG = int('nwb_bir_wt', 200, 8000, false);
  const admissionDate = day(o.adm_time);
  const dischargeDate = day(o.dscg_time);
  if (!admissionDate) bad('adm_time', 'must be a date (YYYY-MM-DD)');
  if (!dischargeDate) bad('dscg_time', 'must be a date (YYYY-MM-DD)');
  const iptDays = int('ipt_days', 0, 3650, true);
  if (admissionDate && dischargeDate) {
    if (dischargeDate < admissionDate) bad('dscg_time', `discharge ${dischargeDate} is before admission ${admissionDate}`);
    else if (iptDays !== null && Math.max(1, daysBetween(admissionDate, dischargeDate)) !== Math.max(1, iptDays)) {
      bad('ipt_days', `${iptDays} days does not match admission ${admissionDate} to discharge ${dischargeDate}`);
    }
  }
  const way = typeof o.dscg_way === 'number' ? String(o.dscg_way) : o.dscg_way;
  if (!(DISCHARGE_WAYS as readonly unknown[]).includes(way)) bad('dscg_way', `must be one of ${DISCHARGE_WAYS.join(', ')}`);

  let principal: string | null = null;
  const secondary: string[] = [];
  if (!Array.isArray(o.diseinfo) || o.diseinfo.length === 0) bad('diseinfo', 'lists no diagnosis');
  else {
    o.diseinfo.forEach((d: unknown, i) => {
      const code = (d as Json | null)?.diag_code;
      if (typeof code !== 'string' || code.trim() === '') return bad(`diseinfo[${i}].diag_code`, 'is missing');
      if (code.length > 20) return bad(`diseinfo[${i}].diag_code`, 'is longer than 20 characters');
      if (flag((d as Json).maindiag_flag)) {
        if (principal !== null) bad(`diseinfo[${i}].maindiag_flag`, 'a second principal diagnosis (only one may have maindiag_flag "1")');
        else principal = code.trim();
      } else secondary.push(code.trim());
    });
    if (principal === null && problems.every((p) => !p.field.startsWith('diseinfo'))) bad('diseinfo', 'no diagnosis has maindiag_flag "1" (the principal diagnosis is missing)');
  }
  let mainProcedure: string | null = null;
  const otherProcedures: string[] = [];
  if (o.oprninfo !== undefined && o.oprninfo !== null && !Array.isArray(o.oprninfo)) bad('oprninfo', 'must be a list');
  else {
    ((o.oprninfo as unknown[] | undefined) ?? []).forEach((p: unknown, i) => {
      const code = (p as Json | null)?.oprn_oprt_code;
      if (typeof code !== 'string' || code.trim() === '') return bad(`oprninfo[${i}].oprn_oprt_code`, 'is missing');
      if (code.length > 20) return bad(`oprninfo[${i}].oprn_oprt_code`, 'is longer than 20 characters');
      if (flag((p as Json).main_oprn_flag)) {
        if (mainProcedure !== null) bad(`oprninfo[${i}].main_oprn_flag`, 'a second main procedure (only one may have main_oprn_flag "1")');
        else mainProcedure = code.trim();
      } else otherProcedures.push(code.trim());
    });
    if (mainProcedure === null && otherProcedures.length > 0) bad('oprninfo', 'procedures are listed but none has main_oprn_flag "1"');
  }
  const total = fen('medfee_sumamt');
  const patientPaid = fen('psn_selfpay');
  const fundPaid = fen('fund_pay_sumamt');
  if (patientPaid + fundPaid > total) bad('fund_pay_sumamt', 'what the patient and the funds paid is more than the total');
  const items: { category: string; amount: Fen }[] = [];
  if (o.iteminfo !== undefined && o.iteminfo !== null) {
    if (!Array.isArray(o.iteminfo)) bad('iteminfo', 'must be a list');
    else {
      let sum = 0;
      o.iteminfo.forEach((it: unknown, i) => {
        const cat = (it as Json | null)?.med_chrgitm_type;
        const amt = (it as Json | null)?.amt;
        if (!(COST_CATEGORIES as readonly unknown[]).includes(cat)) return bad(`iteminfo[${i}].med_chrgitm_type`, 'must be a cost category 01–14');
        if (!isFen(amt)) return bad(`iteminfo[${i}].amt`, 'must be a whole number of fen, 0 or more');
        sum += amt;
        items.push({ category: cat as string, amount: amt });
      });
      if (items.length === o.iteminfo.length && sum !== total) bad('iteminfo', `the cost items add up to ${sum} fen, not medfee_sumamt ${total}`);
    }
  }
  if (problems.length > 0) return { problems };
  return {
    abstract: {
      setlId: setlId!, mdtrtId, psnNo: psnNo!, sex, ageYears: ageYears!, ageDays, newbornWeightG,
      admissionDate: admissionDate!, dischargeDate: dischargeDate!, iptDays: iptDays!, dischargeWay: way as DischargeWay,
      principal: principal!, secondary, mainProcedure, otherProcedures, total, patientPaid, fundPaid, items,
    },
  };
}

/** Every diagnosis code of an abstract, principal first. */
export function diagnosesOf(a: DischargeAbstract): string[] {
  return [a.principal, ...a.secondary];
}

export function proceduresOf(a: DischargeAbstract): string[] {
  return a.mainProcedure === null ? [...a.otherProcedures] : [a.mainProcedure, ...a.otherProcedures];
}
