/**
 * Household-income assessment (家庭人均纯收入研判) for closing a case as "no
 * need to monitor" (SPEC §3.3, Dege).
 *
 * Per-capita net income after self-pay = (household yearly net income − the
 * household's medical self-pay of the year) ÷ household members, in fen,
 * rounded down: a fen of doubt counts against "no need", never for it.
 *
 * Dege's example: a family of 3 with 84,500 yuan income and 47,900 yuan
 * self-pay → (8,450,000 − 4,790,000) ÷ 3 = 1,220,000 fen = 12,200 yuan a head.
 * The news report prints "1.21万" (12,100); no rounding of its inputs gets
 * there (8.45万 and 4.79万 rounded span 12,167 … 12,233 a head), so the report
 * must have deducted something it does not name. We compute the formula as
 * stated; a verifier who finds further necessary expenses records them as
 * `otherDeductions`, which are subtracted before dividing.
 */
import type { Fen } from '../money.ts';

export interface HouseholdAssessmentInput {
  readonly income: Fen;
  readonly selfPay: Fen;
  readonly members: number;
  readonly otherDeductions?: Fen | undefined;
  /** The monitoring line (防返贫监测线) per head, from the region's setting for the year. */
  readonly monitoringLine: Fen;
}

export interface HouseholdAssessment {
  readonly income: Fen;
  readonly selfPay: Fen;
  readonly otherDeductions: Fen;
  readonly members: number;
  /** May be negative: self-pay above the whole income. */
  readonly perCapitaNet: number;
  readonly monitoringLine: Fen;
  /** True when the per-capita net income stays strictly above the line. */
  readonly aboveLine: boolean;
  readonly formula: string;
}

export function assessHousehold(input: HouseholdAssessmentInput): HouseholdAssessment {
  if (!Number.isSafeInteger(input.members) || input.members < 1) throw new RangeError('a household has at least one member');
  const otherDeductions = input.otherDeductions ?? 0;
  const net = input.income - input.selfPay - otherDeductions;
  const perCapitaNet = Math.floor(net / input.members);
  return {
    income: input.income,
    selfPay: input.selfPay,
    otherDeductions,
    members: input.members,
    perCapitaNet,
    monitoringLine: input.monitoringLine,
    aboveLine: perCapitaNet > input.monitoringLine,
    formula: `(${input.income} − ${input.selfPay}${otherDeductions ? ` − ${otherDeductions}` : ''}) ÷ ${input.members} = ${perCapitaNet} fen per head`,
  };
}
