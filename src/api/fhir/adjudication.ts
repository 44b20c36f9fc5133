/**
 * What a bill's settlement says, as FHIR adjudications and totals: one per
 * fund (Sanbao's fund CodeSystem), with the step's rule as the reason, beside
 * HL7's submitted / eligible / benefit and the patient's shares.
 */
import { FUNDS, type Fund } from '../../domain/vocabulary.ts';
import type { Step } from '../../domain/engine/types.ts';
import { sanbaoConcept, SYSTEM, type PatientShare } from './code-systems.ts';
import { fenToMoney } from './money.ts';
import type { Json } from './reference.ts';

/** The figures of a settled (or trial) bill, in fen. */
export interface BillFigures {
  readonly total: number;
  readonly compliant: number;
  readonly funds: Readonly<Record<Fund, number>>;
  readonly selfPayCompliant: number;
  readonly selfPayExcluded: number;
  readonly selfPay: number;
  readonly steps: readonly Step[];
}

const hl7 = (code: 'submitted' | 'eligible' | 'benefit', display: string) => ({ coding: [{ system: SYSTEM.adjudication, code, display }] });

/** Header-level adjudication: one entry per fund, its amount and the rule that decided it. */
export function fundAdjudications(f: BillFigures): Json[] {
  return FUNDS.map((fund) => {
    const rules = f.steps.filter((s) => s.fund === fund).map((s) => s.rule).filter((r) => r !== '');
    return {
      category: sanbaoConcept(SYSTEM.fund, fund),
      ...(rules.length ? { reason: { text: rules.join('; ') } } : {}),
      amount: fenToMoney(f.funds[fund]),
    };
  });
}

const share = (code: PatientShare, fen: number) => ({ category: sanbaoConcept(SYSTEM.patientShare, code), amount: fenToMoney(fen) });

/** Totals: submitted (the bill), eligible (compliant), one per fund, benefit (all funds), and the patient's shares. */
export function billTotals(f: BillFigures): Json[] {
  const benefit = FUNDS.reduce((sum, fund) => sum + f.funds[fund], 0);
  return [
    { category: hl7('submitted', 'Submitted Amount'), amount: fenToMoney(f.total) },
    { category: hl7('eligible', 'Eligible Amount'), amount: fenToMoney(f.compliant) },
    ...FUNDS.map((fund) => ({ category: sanbaoConcept(SYSTEM.fund, fund), amount: fenToMoney(f.funds[fund]) })),
    { category: hl7('benefit', 'Benefit Amount'), amount: fenToMoney(benefit) },
    share('self_pay_compliant', f.selfPayCompliant),
    share('self_pay_excluded', f.selfPayExcluded),
    share('self_pay', f.selfPay),
  ];
}

export function fundsTotal(f: Pick<BillFigures, 'funds'>): number {
  return FUNDS.reduce((sum, fund) => sum + f.funds[fund], 0);
}
