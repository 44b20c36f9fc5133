/** Rules across a person's bills: readmission for the same diagnosis, two hospitals at once, split outpatient visits. */
import { daysBetween, stayEnd, type Flag, type ReviewBill } from './facts.ts';
import type { RuleParams } from './rules.ts';

const category = (diagnosis: string | null) => (diagnosis ?? '').trim().toUpperCase().slice(0, 3);

/**
 * 分解住院: an admission within `days` of an earlier discharge (same facility
 * unless configured otherwise) for the same diagnosis category. The flag sits on the later stay.
 */
export function readmission(bill: ReviewBill, others: readonly ReviewBill[], params: RuleParams): Flag[] {
  if (bill.kind !== 'inpatient' || !category(bill.diagnosis)) return [];
  const days = params.days ?? 15;
  const out: Flag[] = [];
  for (const o of others) {
    if (o.settlementId === bill.settlementId || o.kind !== 'inpatient') continue;
    if (params.sameFacility !== false && o.facilityId !== bill.facilityId) continue;
    if (category(o.diagnosis) !== category(bill.diagnosis)) continue;
    const end = stayEnd(o);
    const gap = daysBetween(end, bill.admission);
    if (o.admission < bill.admission && gap >= 0 && gap <= days) {
      out.push({
        rule: 'readmission', settlementId: bill.settlementId, lineIndex: null, relatedSettlementId: o.settlementId, amount: bill.compliant,
        message: `readmitted ${gap} day(s) after discharge (${end}) for the same diagnosis ${category(bill.diagnosis)}`,
      });
    }
  }
  return out;
}

/** Two stays at different facilities overlapping in time (a transfer on the day of discharge is not one). Flagged on the later-settled bill. */
export function concurrentStays(bill: ReviewBill, others: readonly ReviewBill[]): Flag[] {
  if (bill.kind !== 'inpatient') return [];
  const end = stayEnd(bill);
  const out: Flag[] = [];
  for (const o of others) {
    if (o.kind !== 'inpatient' || o.facilityId === bill.facilityId || o.settlementId >= bill.settlementId) continue;
    if (o.admission < end && bill.admission < stayEnd(o)) {
      out.push({
        rule: 'concurrent_stays', settlementId: bill.settlementId, lineIndex: null, relatedSettlementId: o.settlementId, amount: bill.compliant,
        message: `in hospital ${bill.admission}–${end} while in another (${o.admission}–${stayEnd(o)})`,
      });
    }
  }
  return out;
}

/** 分解门诊: more than `maxPerDay` outpatient bills of one person at one facility on one day; every one beyond is flagged. */
export function outpatientSplitting(bill: ReviewBill, others: readonly ReviewBill[], params: RuleParams): Flag[] {
  if (bill.kind !== 'outpatient') return [];
  const max = params.maxPerDay ?? 1;
  const sameDay = others.filter((o) => o.kind === 'outpatient' && o.facilityId === bill.facilityId && o.admission === bill.admission && o.settlementId < bill.settlementId);
  if (sameDay.length < max) return [];
  return [{
    rule: 'outpatient_splitting', settlementId: bill.settlementId, lineIndex: null, relatedSettlementId: sameDay[0]!.settlementId, amount: bill.compliant,
    message: `outpatient bill ${sameDay.length + 1} of the day at this facility (at most ${max})`,
  }];
}
