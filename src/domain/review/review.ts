/**
 * Runs the enabled rules over a bill (with the person's other bills around it)
 * or over a person's bills of a period; the same functions serve the review on
 * every settlement and the batch over a period.
 */
import { ageRestriction, duplicateLines, levelRestriction, quantityBeyondStay, restrictedDiagnosis, sexRestriction } from './bill-rules.ts';
import type { Flag, ReviewBill } from './facts.ts';
import { concurrentStays, outpatientSplitting, readmission } from './history-rules.ts';
import type { RuleConfig, RuleId } from './rules.ts';

/** Reviews one bill; `others` are the person's other settled bills near it (any order). */
export function reviewBill(bill: ReviewBill, others: readonly ReviewBill[], rules: ReadonlyMap<RuleId, RuleConfig>): Flag[] {
  const on = (id: RuleId) => rules.get(id)?.enabled === true;
  const params = (id: RuleId) => rules.get(id)?.params ?? {};
  const out: Flag[] = [];
  if (on('duplicate_lines')) out.push(...duplicateLines(bill));
  if (on('quantity_beyond_stay')) out.push(...quantityBeyondStay(bill));
  if (on('sex_restriction')) out.push(...sexRestriction(bill));
  if (on('age_restriction')) out.push(...ageRestriction(bill));
  if (on('restricted_diagnosis')) out.push(...restrictedDiagnosis(bill));
  if (on('level_restriction')) out.push(...levelRestriction(bill));
  if (on('readmission')) out.push(...readmission(bill, others, params('readmission')));
  if (on('concurrent_stays')) out.push(...concurrentStays(bill, others));
  if (on('outpatient_splitting')) out.push(...outpatientSplitting(bill, others, params('outpatient_splitting')));
  return out;
}

/** Reviews every bill of one person against the others (the batch). */
export function reviewPerson(bills: readonly ReviewBill[], rules: ReadonlyMap<RuleId, RuleConfig>): Flag[] {
  return bills.flatMap((b) => reviewBill(b, bills, rules));
}
