/**
 * Reconciliation with hospitals (对账), in the national interface's shapes:
 * totals per scheme (insutype) and clearing type (clr_type) as in 3201
 * (fixmedins_setl_cnt, medfee_sumamt, fund_pay_sumamt, acct_pay), and the
 * line-by-line difference as in 3202. Pure: both sides in, differences out.
 * Money is integer fen on both sides; a reversal (冲正) counts −1 with its
 * amounts negated, on the day it was made.
 */
import { invalid } from '../errors.ts';
import type { Scheme, VisitKind } from '../vocabulary.ts';

/** 险种类型 of the national code set: 310 employee basic, 390 resident basic. */
export const INSUTYPE: Readonly<Record<Scheme, string>> = { employee: '310', resident: '390' };
/** 清算类别: 11 outpatient, 14 outpatient chronic and special diseases, 21 inpatient. */
export const CLR_TYPE: Readonly<Record<VisitKind, string>> = { outpatient: '11', chronic: '14', inpatient: '21' };

export interface Totals {
  readonly fixmedins_setl_cnt: number;
  readonly medfee_sumamt: number;
  readonly fund_pay_sumamt: number;
  readonly acct_pay: number;
}
export const AMOUNT_FIELDS = ['fixmedins_setl_cnt', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay'] as const;

export interface TotalsLine extends Totals {
  readonly insutype: string;
  readonly clr_type: string;
}

export interface TotalsComparison {
  readonly insutype: string;
  readonly clr_type: string;
  readonly bureau: Totals;
  readonly hospital: Totals;
  /** hospital − bureau, field by field. */
  readonly difference: Totals;
  readonly matched: boolean;
}

/** One settlement (or reversal) as each side recorded it (3202 detail). */
export interface DetailLine {
  readonly setl_id: string;
  /** '0' the settlement, '1' its reversal (退费结算标志). */
  readonly refd_setl_flag: '0' | '1';
  readonly medfee_sumamt: number;
  readonly fund_pay_sumamt: number;
  readonly acct_pay: number;
}

export interface DetailDifference {
  readonly setl_id: string;
  readonly refd_setl_flag: '0' | '1';
  /** 'bureau_only': the hospital did not send it; 'hospital_only': the bureau has no such settlement; 'amounts': both, figures differ. */
  readonly kind: 'bureau_only' | 'hospital_only' | 'amounts';
  readonly bureau: Omit<DetailLine, 'setl_id' | 'refd_setl_flag'> | null;
  readonly hospital: Omit<DetailLine, 'setl_id' | 'refd_setl_flag'> | null;
}

const ZERO: Totals = { fixmedins_setl_cnt: 0, medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0 };

/** Compares the two sides' totals, key by key; a key on one side only compares with zeros. */
export function compareTotals(bureau: readonly TotalsLine[], hospital: readonly TotalsLine[]): TotalsComparison[] {
  const key = (l: { insutype: string; clr_type: string }) => `${l.insutype}/${l.clr_type}`;
  const b = new Map(bureau.map((l) => [key(l), l]));
  const h = new Map(hospital.map((l) => [key(l), l]));
  const keys = [...new Set([...b.keys(), ...h.keys()])].sort();
  return keys.map((k) => {
    const [insutype, clr_type] = k.split('/') as [string, string];
    const x: Totals = pick(b.get(k) ?? ZERO);
    const y: Totals = pick(h.get(k) ?? ZERO);
    const difference = Object.fromEntries(AMOUNT_FIELDS.map((f) => [f, y[f] - x[f]])) as unknown as Totals;
    return { insutype, clr_type, bureau: x, hospital: y, difference, matched: AMOUNT_FIELDS.every((f) => difference[f] === 0) };
  });
}

function pick(t: Totals): Totals {
  return { fixmedins_setl_cnt: t.fixmedins_setl_cnt, medfee_sumamt: t.medfee_sumamt, fund_pay_sumamt: t.fund_pay_sumamt, acct_pay: t.acct_pay };
}

/** The 3202 difference: every settlement recorded differently, or on one side only, by (setl_id, refd_setl_flag). */
export function compareDetails(bureau: readonly DetailLine[], hospital: readonly DetailLine[]): DetailDifference[] {
  const key = (l: DetailLine) => `${l.setl_id}\u0000${l.refd_setl_flag}`;
  const amounts = (l: DetailLine) => ({ medfee_sumamt: l.medfee_sumamt, fund_pay_sumamt: l.fund_pay_sumamt, acct_pay: l.acct_pay });
  const b = new Map(bureau.map((l) => [key(l), l]));
  const h = new Map<string, DetailLine>();
  for (const l of hospital) h.set(key(l), l);
  const out: DetailDifference[] = [];
  for (const [k, x] of b) {
    const y = h.get(k);
    if (!y) out.push({ setl_id: x.setl_id, refd_setl_flag: x.refd_setl_flag, kind: 'bureau_only', bureau: amounts(x), hospital: null });
    else if (x.medfee_sumamt !== y.medfee_sumamt || x.fund_pay_sumamt !== y.fund_pay_sumamt || x.acct_pay !== y.acct_pay) {
      out.push({ setl_id: x.setl_id, refd_setl_flag: x.refd_setl_flag, kind: 'amounts', bureau: amounts(x), hospital: amounts(y) });
    }
  }
  for (const [k, y] of h) if (!b.has(k)) out.push({ setl_id: y.setl_id, refd_setl_flag: y.refd_setl_flag, kind: 'hospital_only', bureau: null, hospital: amounts(y) });
  return out.sort((p, q) => (p.setl_id < q.setl_id ? -1 : p.setl_id > q.setl_id ? 1 : p.refd_setl_flag < q.refd_setl_flag ? -1 : 1));
}

/** A whole number of fen (negative allowed: reversals); anything else is refused with its field named. */
function fenField(value: unknown, field: string, allowNegative: boolean): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || (!allowNegative && value < 0)) {
    throw invalid('INVALID_FEN', `${field} must be a whole number of fen${allowNegative ? '' : ' (0 or more)'}, not ${JSON.stringify(value)}`, field);
  }
  return value;
}

const CODE = /^[0-9A-Za-z]{1,6}$/;

/** Parses the hospital's 3201 totals, line by line; the first bad field is named (`totals[2].medfee_sumamt`). */
export function parseHospitalTotals(input: unknown): TotalsLine[] {
  if (!Array.isArray(input) || input.length === 0 || input.length > 100) throw invalid('INVALID_TOTALS', 'totals must be a list of 1 to 100 lines', 'totals');
  const seen = new Set<string>();
  return input.map((raw, i) => {
    const at = `totals[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('INVALID_TOTALS', `${at} must be an object`, at);
    const r = raw as Record<string, unknown>;
    const unknownField = Object.keys(r).find((k) => !['insutype', 'clr_type', ...AMOUNT_FIELDS].includes(k));
    if (unknownField) throw invalid('INVALID_TOTALS', `${at}.${unknownField} is not a 3201 field`, `${at}.${unknownField}`);
    for (const f of ['insutype', 'clr_type'] as const) {
      if (typeof r[f] !== 'string' || !CODE.test(r[f] as string)) throw invalid('INVALID_TOTALS', `${at}.${f} must be a code such as "390"`, `${at}.${f}`);
    }
    const k = `${r.insutype}/${r.clr_type}`;
    if (seen.has(k)) throw invalid('DUPLICATE_LINE', `${at} repeats insutype ${r.insutype}, clr_type ${r.clr_type}`, at);
    seen.add(k);
    return {
      insutype: r.insutype as string,
      clr_type: r.clr_type as string,
      fixmedins_setl_cnt: fenField(r.fixmedins_setl_cnt, `${at}.fixmedins_setl_cnt`, true),
      medfee_sumamt: fenField(r.medfee_sumamt, `${at}.medfee_sumamt`, true),
      fund_pay_sumamt: fenField(r.fund_pay_sumamt, `${at}.fund_pay_sumamt`, true),
      acct_pay: fenField(r.acct_pay ?? 0, `${at}.acct_pay`, true),
    };
  });
}

/** Parses the hospital's 3202 detail lines (at most 100,000), each field checked. */
export function parseHospitalDetails(input: unknown): DetailLine[] {
  if (!Array.isArray(input) || input.length > 100_000) throw invalid('INVALID_DETAILS', 'details must be a list of at most 100,000 lines', 'details');
  return input.map((raw, i) => {
    const at = `details[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('INVALID_DETAILS', `${at} must be an object`, at);
    const r = raw as Record<string, unknown>;
    if (typeof r.setl_id !== 'string' || r.setl_id.length === 0 || r.setl_id.length > 64) throw invalid('INVALID_DETAILS', `${at}.setl_id must be the settlement's id`, `${at}.setl_id`);
    const flag = r.refd_setl_flag ?? '0';
    if (flag !== '0' && flag !== '1') throw invalid('INVALID_DETAILS', `${at}.refd_setl_flag must be "0" or "1"`, `${at}.refd_setl_flag`);
    return {
      setl_id: r.setl_id, refd_setl_flag: flag,
      medfee_sumamt: fenField(r.medfee_sumamt, `${at}.medfee_sumamt`, true),
      fund_pay_sumamt: fenField(r.fund_pay_sumamt, `${at}.fund_pay_sumamt`, true),
      acct_pay: fenField(r.acct_pay ?? 0, `${at}.acct_pay`, true),
    };
  });
}

/** Follow-up of a mismatch: open → explained → resolved (or open → resolved). */
export const RECONCILIATION_STATUSES = ['matched', 'open', 'explained', 'resolved'] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];

export function canMove(from: ReconciliationStatus, to: ReconciliationStatus): boolean {
  return (from === 'open' && (to === 'explained' || to === 'resolved')) || (from === 'explained' && to === 'resolved');
}
