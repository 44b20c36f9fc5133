/** Rules that look at one bill: duplicate lines, quantities, sex and age, qualifying diagnoses. */
import { ageUnmet, diagnosisUnmet, levelUnmet, sexUnmet } from '../catalogue/restrictions.ts';
import { ageOn, stayDays, type Flag, type ReviewBill, type ReviewLine } from './facts.ts';
import type { RuleId } from './rules.ts';

const lineFlag = (rule: RuleId, bill: ReviewBill, line: ReviewLine, amount: number, message: string): Flag => ({
  rule, settlementId: bill.settlementId, lineIndex: line.index, relatedSettlementId: null, amount, message,
});

/** The same code, date, quantity and unit price again: every repetition after the first. */
export function duplicateLines(bill: ReviewBill): Flag[] {
  const seen = new Map<string, number>();
  const out: Flag[] = [];
  for (const line of bill.lines) {
    const key = `${line.code}|${line.date}|${line.quantity}|${line.unitPrice}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, line.index);
    else out.push(lineFlag('duplicate_lines', bill, line, line.compliant, `line ${line.index} repeats line ${first} (${line.code}, ${line.date}, ${line.quantity} × ${line.unitPrice})`));
  }
  return out;
}

/** A code billed beyond its catalogue limit: the units billed and allowed, its last line, and the compliant share of the excess. */
export interface QuantityExcess {
  readonly code: string;
  readonly billed: number;
  readonly allowed: number;
  readonly last: ReviewLine;
  readonly amount: number;
}

/**
 * More units than the catalogue allows: per day (max_per_day × days of the
 * stay for inpatients, per date otherwise) or per stay (max_per_stay), for
 * the compliant share of the excess, on the code's last line.
 */
export function quantityExcesses(bill: Pick<ReviewBill, 'kind' | 'admission' | 'discharge' | 'lines'>): QuantityExcess[] {
  const byCode = new Map<string, ReviewLine[]>();
  for (const line of bill.lines) {
    if (!line.restrictions || (line.restrictions.maxPerDay === undefined && line.restrictions.maxPerStay === undefined)) continue;
    const list = byCode.get(line.code) ?? [];
    list.push(line);
    byCode.set(line.code, list);
  }
  const out: QuantityExcess[] = [];
  const days = stayDays(bill);
  for (const [code, lines] of byCode) {
    const r = lines[0]!.restrictions!;
    let allowed = Infinity;
    let total = 0;
    let compliant = 0;
    if (bill.kind === 'inpatient') {
      if (r.maxPerDay !== undefined) allowed = r.maxPerDay * days;
      if (r.maxPerStay !== undefined) allowed = Math.min(allowed, r.maxPerStay);
      for (const l of lines) (total += l.quantity), (compliant += l.compliant);
    } else {
      // Outside a stay: the busiest day against the daily limit.
      const perDay = new Map<string, { q: number; c: number }>();
      for (const l of lines) {
        const d = perDay.get(l.date) ?? { q: 0, c: 0 };
        perDay.set(l.date, { q: d.q + l.quantity, c: d.c + l.compliant });
      }
      allowed = Math.min(r.maxPerDay ?? Infinity, r.maxPerStay ?? Infinity);
      for (const d of perDay.values()) if (d.q > total) (total = d.q), (compliant = d.c);
    }
    if (total <= allowed) continue;
    out.push({ code, billed: total, allowed, last: lines[lines.length - 1]!, amount: Math.floor((compliant * (total - allowed)) / total) });
  }
  return out;
}

export function quantityBeyondStay(bill: ReviewBill): Flag[] {
  const days = stayDays(bill);
  return quantityExcesses(bill).map((x) =>
    lineFlag('quantity_beyond_stay', bill, x.last, x.amount,
      `${x.code}: ${x.billed} units where ${x.allowed} are allowed${bill.kind === 'inpatient' ? ` for a stay of ${days} day(s)` : ' a day'}`));
}

export function sexRestriction(bill: ReviewBill): Flag[] {
  return bill.lines
    .filter((l) => sexUnmet(l.restrictions, bill.sex))
    .map((l) => lineFlag('sex_restriction', bill, l, l.compliant, `${l.code} is for ${l.restrictions!.sex === 'F' ? 'women' : 'men'} only`));
}

export function ageRestriction(bill: ReviewBill): Flag[] {
  const out: Flag[] = [];
  for (const l of bill.lines) {
    const r = l.restrictions;
    if (!r || (r.minAge === undefined && r.maxAge === undefined)) continue;
    const age = ageOn(bill.birthDate, l.date);
    if (ageUnmet(r, age)) {
      out.push(lineFlag('age_restriction', bill, l, l.compliant, `${l.code} is for ages ${r.minAge ?? 0}–${r.maxAge ?? '…'}, the patient is ${age}`));
    }
  }
  return out;
}

export function restrictedDiagnosis(bill: ReviewBill): Flag[] {
  return bill.lines
    .filter((l) => diagnosisUnmet(l.restrictions, bill.diagnosis))
    .map((l) => lineFlag('restricted_diagnosis', bill, l, l.compliant,
      `${l.code} is paid only for ${l.restrictions!.diagnoses.join(', ')}; the diagnosis is ${bill.diagnosis ?? 'missing'}`));
}

/** An item the catalogue allows only from a higher hospital level (限医院等级) than the one that billed it. */
export function levelRestriction(bill: ReviewBill): Flag[] {
  const level = bill.level;
  if (level === undefined) return [];
  return bill.lines
    .filter((l) => levelUnmet(l.restrictions, level))
    .map((l) => lineFlag('level_restriction', bill, l, l.compliant, `${l.code} is for level ${l.restrictions!.minLevel} hospitals and above; this one is level ${level}`));
}
