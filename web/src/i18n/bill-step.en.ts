/** The bill's step: how the compliant amount came about, line by line, for staff and in plain words for the resident. */
import type { billStepZhCN } from './bill-step.zh-CN.ts';

export const billStepEn: Record<keyof typeof billStepZhCN, string> = {
  "fund.bill": "Compliant amount",
  "rule.bill.itemised": "Priced line by line against the catalogue: {lines} fee lines whose compliant parts add up to {amount}, the compliant amount",
  "rule.bill.unverified": "Unverified: compliant amount as declared by the hospital (no fee lines sent)",
  "billStep.lineOf": "{quantity} × {unitPrice} each = {amount}",
  "error.BILL_STEP_MISMATCH": "The bill’s explanation is not the bill being settled",
  "billStep.count": "{n} lines",
  "billStep.aboveCap": "{amount} above the price ceiling of {cap}, paid by the patient",
  "billStep.classC": "class C: {amount} paid in full by the patient",
  "billStep.classB": "class B: {ratio} paid first by the patient, {amount}",
  "billStep.compliant": "compliant {amount}",
  "billStep.unmet.level": "only for level {min} hospitals and above (this one is level {level})",
  "billStep.unmet.sex.F": "for women only",
  "billStep.unmet.sex.M": "for men only",
  "billStep.unmet.age": "for ages {min} to {max} (the patient is {age})",
  "billStep.unmet.diagnosis": "only with the diagnosis {codes} (this bill: {diagnosis})",
  "billStep.unmet.quantity": "at most {allowed} units ({billed} billed)",
  "billStep.unmet.note": "A restriction is not met: the funds pay as above, and claim review takes the line up with the hospital",
  "billStep.others": "{lines} further lines ({groups} items): {amount}, of which compliant {compliant}",
  "plain.why.title": "What the policy did not cover, and why:",
  "plain.why.classC": "{name}: {amount} is class C (outside the insurance catalogue), so you pay all of it",
  "plain.why.aboveCap": "{name}: its price is above the insurance ceiling of {cap}, so you pay the {amount} above it",
  "plain.why.classB": "{name}: class B, the policy has you pay {ratio} of it first, {amount}",
  "plain.why.others": "Your part of the other lines: {amount}",
  "plain.why.unverified": "The hospital sent no itemised bill, so the covered amount is the one the hospital declared.",
};
