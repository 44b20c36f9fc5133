/**
 * Fund reports (基金运行分析): income (contributions by the person, subsidies
 * by paying department, fiscal allocations) against spending, per fund and
 * month; spending per insured person and per hospital level; each fund's
 * months of reserve; and the warning when spending runs ahead of the year's
 * budget (the policies' clearing terms). Everything from the ledger.
 */
import { budgetWarning, monthsOfReserveTenths, type BudgetWarning } from '../domain/ledger/fund-warning.ts';
import { invalid } from '../domain/errors.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { bankBalances, enrolledCount, incomeBySource, monthlyFlows, spendingByLevel, subsidiesByDepartment } from '../store/repositories/fund-reports.ts';

export interface FundReport {
  readonly year: number;
  readonly asOf: string;
  readonly months: readonly string[];
  readonly funds: readonly {
    readonly fund: string;
    readonly income: readonly number[];
    readonly spending: readonly number[];
    readonly totalIncome: number;
    readonly totalSpending: number;
    readonly balance: number;
    /** Tenths of a month; null when nothing was spent. */
    readonly reserveTenths: number | null;
  }[];
  readonly incomeBySource: readonly { fund: string; kind: string; department: string | null; amount: number }[];
  readonly perHead: { readonly enrolled: number; readonly spending: number; readonly perHead: number | null };
  readonly byLevel: readonly { level: number; spending: number; bills: number; perBill: number }[];
  readonly warnings: readonly BudgetWarning[];
  /** Subsidies each department owes for the year's enrollments against what the basic fund received from it. */
  readonly subsidies: readonly { department: string; due: number; received: number }[];
}

/** a ÷ b rounded half up, for non-negative whole numbers (an average in fen). */
const averageHalfUp = (a: number, b: number) => Math.floor((2 * a + b) / (2 * b));

const daysIn = (year: number) => (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 366 : 365);

export async function fundReport(db: Db, policies: PolicyRegistry, year: unknown, today: string): Promise<FundReport> {
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('INVALID_YEAR', 'year must be such as 2025', 'year');
  const asOf = today < `${year}-12-31` ? today : `${year}-12-31`;
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const [flows, sources, levels, balances, enrolled, subsidies] = [
    await monthlyFlows(db, year), await incomeBySource(db, year), await spendingByLevel(db, year), await bankBalances(db, asOf), await enrolledCount(db, year),
    await subsidiesByDepartment(db, year),
  ];
  const fundIds = [...new Set([...flows.map((f) => f.fund), ...balances.keys()])].sort();
  const monthsGone = today < `${year}-01-01` ? 0 : today > `${year}-12-31` ? 12 : Number(today.slice(5, 7));
  const funds = fundIds.map((fund) => {
    const income = months.map((m) => flows.find((f) => f.fund === fund && f.month === m)?.income ?? 0);
    const spending = months.map((m) => flows.find((f) => f.fund === fund && f.month === m)?.spending ?? 0);
    const totalSpending = spending.reduce((a, b) => a + b, 0);
    const balance = balances.get(fund) ?? 0;
    return {
      fund, income, spending, totalIncome: income.reduce((a, b) => a + b, 0), totalSpending, balance,
      reserveTenths: monthsOfReserveTenths(balance, totalSpending, monthsGone),
    };
  });
  // Per head: what the funds paid for care (a transfer between funds is not spending on anyone).
  const spendingAll = flows.reduce((t, f) => t + f.benefit, 0);
  // The year's budgets per fund, from the clearing terms of the year's policies (a bureau's regions summed).
  const budgets = new Map<string, number>();
  for (const p of policies.list().filter((x) => x.year === year)) for (const [fund, amount] of p.clearing.fundBudgets) budgets.set(fund, (budgets.get(fund) ?? 0) + amount);
  const elapsed = today < `${year}-01-01` ? 0 : Math.min(daysIn(year), Math.floor((Date.parse(asOf) - Date.parse(`${year}-01-01`)) / 86_400_000) + 1);
  const warnings = [...budgets].sort().map(([fund, budget]) => {
    const spent = funds.filter((f) => f.fund === fund.split('.')[0]).reduce((t, f) => t + f.totalSpending, 0);
    return budgetWarning(fund, budget, spent, elapsed, daysIn(year));
  });
  return {
    year, asOf, months, funds, incomeBySource: sources,
    perHead: { enrolled, spending: spendingAll, perHead: enrolled > 0 && spendingAll >= 0 ? averageHalfUp(spendingAll, enrolled) : null },
    byLevel: levels.map((l) => ({ ...l, perBill: l.bills > 0 && l.spending >= 0 ? averageHalfUp(l.spending, l.bills) : 0 })),
    warnings,
    subsidies,
  };
}
