/**
 * The fund warning (基金预警) and months of reserve, pure. Spending runs
 * ahead of the budget when the share of the year's budget spent is above the
 * share of the year gone by; over budget when it passes the budget itself.
 */
import type { Fen } from '../money.ts';

export interface BudgetWarning {
  readonly fund: string;
  readonly budget: Fen;
  readonly spent: Fen;
  /** Shares in basis points of the budget and of the year. */
  readonly spentBp: number;
  readonly elapsedBp: number;
  readonly level: 'ok' | 'ahead' | 'over';
}

/** `elapsedDays` of `yearDays` gone; spending compared with the same share of the budget. */
export function budgetWarning(fund: string, budget: Fen, spent: Fen, elapsedDays: number, yearDays: number): BudgetWarning {
  if (!(budget > 0)) throw new Error('budgetWarning: the budget is above zero');
  const spentBp = Math.floor((spent * 10_000) / budget);
  const elapsedBp = Math.floor((Math.min(elapsedDays, yearDays) * 10_000) / yearDays);
  const level = spent > budget ? 'over' : spentBp > elapsedBp ? 'ahead' : 'ok';
  return { fund, budget, spent, spentBp, elapsedBp, level };
}

/**
 * Months the bank balance would last at the average monthly spending, in
 * tenths of a month (rounded down); null when nothing was spent.
 */
export function monthsOfReserveTenths(balance: Fen, spent: Fen, months: number): number | null {
  if (spent <= 0 || months <= 0) return null;
  if (balance <= 0) return 0;
  return Math.floor((balance * months * 10) / spent);
}
