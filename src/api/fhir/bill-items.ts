/**
 * The bill's step as FHIR: each group of fee lines an `item` (its
 * medical-insurance code, quantity, unit price, net), adjudicated as
 * submitted, eligible (compliant) and the patient's shares with the reason
 * (above the price ceiling, class C, class B self-pay-first); the lines a long
 * bill sums, one item; a bill without lines, a process note saying the
 * compliant amount is the hospital's.
 */
import { billStepOf, type LineGroup } from '../../domain/catalogue/bill-step.ts';
import type { Step } from '../../domain/engine/types.ts';
import { EXTENSION, sanbaoConcept, SYSTEM, type PatientShare } from './code-systems.ts';
import { fenToMoney } from './money.ts';
import type { Json } from './reference.ts';

const hl7 = (code: 'submitted' | 'eligible', display: string) => ({ coding: [{ system: SYSTEM.adjudication, code, display }] });
const share = (code: PatientShare, fen: number) => ({ category: sanbaoConcept(SYSTEM.patientShare, code), amount: fenToMoney(fen) });

function adjudications(g: Pick<LineGroup, 'amount' | 'compliant' | 'aboveCap' | 'excluded' | 'selfPayFirst'>): Json[] {
  return [
    { category: hl7('submitted', 'Submitted Amount'), amount: fenToMoney(g.amount) },
    { category: hl7('eligible', 'Eligible Amount'), amount: fenToMoney(g.compliant) },
    ...(g.aboveCap > 0 ? [share('above_cap', g.aboveCap)] : []),
    ...(g.excluded > 0 ? [share('class_c', g.excluded)] : []),
    ...(g.selfPayFirst > 0 ? [share('self_pay_first', g.selfPayFirst)] : []),
  ];
}

/** `item` and `processNote` of an ExplanationOfBenefit, from the settlement's steps (nothing when it has no bill step). */
export function billItems(steps: readonly Step[]): { item?: Json[]; processNote?: Json[] } {
  const bill = billStepOf(steps);
  if (!bill) return {};
  if (bill.rule === 'bill.unverified') {
    return { processNote: [{ number: 1, type: 'display', text: 'Unverified: compliant amount as declared by the hospital (not itemised)' }] };
  }
  const items: Json[] = (bill.groups ?? []).map((g, i) => ({
    sequence: i + 1,
    extension: [
      { url: EXTENSION.rule, valueString: g.rule },
      { url: EXTENSION.lineCount, valueInteger: g.lines },
      ...(g.unmet ?? []).map((u) => ({ url: EXTENSION.restrictionUnmet, valueString: u.restriction })),
    ],
    productOrService: { coding: [{ system: SYSTEM.insuranceCode, code: g.code, display: g.name }], text: g.name },
    quantity: { value: g.quantity },
    unitPrice: fenToMoney(g.unitPrice),
    net: fenToMoney(g.amount),
    adjudication: adjudications(g),
  }));
  if (bill.others) {
    const o = bill.others;
    items.push({
      sequence: items.length + 1,
      extension: [{ url: EXTENSION.lineCount, valueInteger: o.lines }],
      productOrService: { text: `${o.lines} further fee lines (${o.groups} items), summed` },
      net: fenToMoney(o.amount),
      adjudication: adjudications(o),
    });
  }
  return { item: items };
}
