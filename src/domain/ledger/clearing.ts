/**
 * Monthly clearing of a hospital (清算) and its year-end settlement, pure.
 * A month's clearing pays what the funds came to owe the hospital in that
 * month (settlements, less reversals, plus re-adjudication adjustments), less
 * review deductions, plus the DRG payments' difference from the item-based
 * fund payments, less the quality deposit withheld. The year end releases the
 * deposit in proportion to the hospital's assessment, and takes back spending
 * above the hospital's budget (总额预算) when the policy sets one.
 */
import { applyRatio, FULL, type BasisPoints, type Fen } from '../money.ts';
import type { ClearingAmounts, FundAmounts } from './posting.ts';

export interface MonthInput {
  /** Per ledger fund, by the kind of journal that made the hospital's claim in the month. */
  readonly settlements: FundAmounts;
  readonly reversals: FundAmounts;
  readonly adjustments: FundAmounts;
  readonly reviewDeductions: Fen;
  readonly drgDifference: Fen;
  readonly depositRate: BasisPoints;
}

export interface MonthClearing extends ClearingAmounts {
  /** Settlements + reversals + adjustments per fund: what the month's bills came to. */
  readonly bills: FundAmounts;
  /** Bills − deductions + DRG difference: the basis of the deposit. */
  readonly gross: Fen;
  /** What the hospital is paid (negative: what it owes back). */
  readonly net: Fen;
}

const sum = (a: FundAmounts) => Object.values(a).reduce((t, v) => t + v, 0);

function add(...parts: FundAmounts[]): Record<string, Fen> {
  const out: Record<string, Fen> = {};
  for (const p of parts) for (const [f, v] of Object.entries(p)) out[f] = (out[f] ?? 0) + v;
  for (const [f, v] of Object.entries(out)) if (v === 0) delete out[f];
  return out;
}

export function clearMonth(m: MonthInput): MonthClearing {
  for (const [name, v] of [['reviewDeductions', m.reviewDeductions], ['depositRate', m.depositRate]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`clearMonth: ${name} must be a whole number ≥ 0`);
  }
  if (m.depositRate > FULL) throw new Error('clearMonth: the deposit rate is above 100%');
  const bills = add(m.settlements, m.reversals, m.adjustments);
  const gross = sum(bills) - m.reviewDeductions + m.drgDifference;
  // Withheld only from a positive month: a month that owes money back withholds nothing.
  const depositWithheld = gross > 0 ? applyRatio(gross, m.depositRate) : 0;
  const payments = add(bills, { basic: -m.reviewDeductions + m.drgDifference - depositWithheld });
  return { bills, gross, net: gross - depositWithheld, payments, reviewDeductions: m.reviewDeductions, drgDifference: m.drgDifference, depositWithheld, depositReleased: 0 };
}

export interface YearEndInput {
  /** Deposit withheld over the year's monthly clearings. */
  readonly depositHeld: Fen;
  /** Assessment score, 0–100 % in basis points: the share of the deposit released. */
  readonly assessment: BasisPoints;
  /** What the year's monthly clearings came to before deposits (sum of their gross). */
  readonly spent: Fen;
  /** The hospital's yearly budget; null when the policy sets none. */
  readonly budget: Fen | null;
}

export interface YearEnd extends ClearingAmounts {
  readonly depositForfeited: Fen;
  readonly overBudget: Fen;
  readonly net: Fen;
}

/**
 * The year end: the deposit released in proportion to the assessment (the
 * rest stays with the fund), and spending above the budget taken back (超支不补).
 * Both move on the basic fund, where the deposit was withheld.
 */
export function clearYearEnd(y: YearEndInput): YearEnd {
  if (!Number.isSafeInteger(y.assessment) || y.assessment < 0 || y.assessment > FULL) throw new Error('clearYearEnd: the assessment is 0–100%');
  const depositReleased = applyRatio(y.depositHeld, y.assessment);
  const depositForfeited = y.depositHeld - depositReleased;
  const overBudget = y.budget === null ? 0 : Math.max(0, y.spent - y.budget);
  const net = depositReleased - overBudget;
  return {
    payments: net === 0 ? {} : { basic: net },
    // Forfeited deposit and the over-budget part are spending the fund no longer bears: booked like review deductions.
    reviewDeductions: overBudget,
    drgDifference: 0,
    depositWithheld: 0,
    depositReleased,
    depositForfeited,
    overBudget,
    net,
  };
}
