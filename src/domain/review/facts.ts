/** What claim review looks at: a settled bill, its lines with their catalogue restrictions, and the patient. */
import type { ItemRestrictions } from '../catalogue/items.ts';
import type { Fen } from '../money.ts';
import type { HospitalLevel } from '../vocabulary.ts';
import type { RuleId } from './rules.ts';

export interface ReviewLine {
  readonly index: number;
  readonly code: string;
  readonly date: string;
  readonly quantity: number;
  readonly unitPrice: Fen;
  readonly compliant: Fen;
  /** The catalogue entry's restrictions on the line's date; undefined when the catalogue no longer holds it. */
  readonly restrictions?: ItemRestrictions | undefined;
}

export interface ReviewBill {
  readonly settlementId: number;
  readonly personId: number;
  readonly facilityId: number;
  readonly kind: 'inpatient' | 'outpatient' | 'chronic';
  readonly admission: string;
  readonly discharge: string | null;
  readonly diagnosis: string | null;
  readonly compliant: Fen;
  readonly sex: 'M' | 'F';
  readonly birthDate: string;
  /** The hospital's level (for items restricted to higher levels); unknown: not checked. */
  readonly level?: HospitalLevel | undefined;
  readonly lines: readonly ReviewLine[];
}

export interface Flag {
  readonly rule: RuleId;
  readonly settlementId: number;
  readonly lineIndex: number | null;
  /** The other bill of a cross-bill finding (the earlier stay, the overlapping stay). */
  readonly relatedSettlementId: number | null;
  /** The compliant amount the finding puts in question, fen. */
  readonly amount: Fen;
  readonly message: string;
}

/** One key per finding, so a batch run over a period already reviewed adds nothing twice. */
export function flagKey(f: Flag): string {
  return `${f.rule}:${f.settlementId}:${f.lineIndex ?? ''}:${f.relatedSettlementId ?? ''}`;
}

const DAY = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/** Whole years of age on a date. */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Days of a stay (住院天数: the discharge day not counted, at least one); outpatient bills: one. */
export function stayDays(bill: Pick<ReviewBill, 'kind' | 'admission' | 'discharge' | 'lines'>): number {
  if (bill.kind !== 'inpatient') return 1;
  if (bill.discharge) return Math.max(1, daysBetween(bill.admission, bill.discharge));
  const last = bill.lines.reduce((acc, l) => (l.date > acc ? l.date : acc), bill.admission);
  return Math.max(1, daysBetween(bill.admission, last) + 1);
}

/** The day after the stay ends (exclusive end): discharge, or the day after admission when none is known. */
export function stayEnd(bill: Pick<ReviewBill, 'admission' | 'discharge'>): string {
  if (bill.discharge && bill.discharge > bill.admission) return bill.discharge;
  const d = new Date(`${bill.admission}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
