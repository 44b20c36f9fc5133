/** The monthly credit of one employee's personal account (个人账户划入), from the policy's rules. */
import { applyRatio, type Fen } from '../money.ts';
import type { EmploymentStatus } from '../vocabulary.ts';
import { MAX_MONTHLY_CREDIT, type PersonalAccountRules } from './rules.ts';

export const CREDIT_RULES = ['account.credit.in_service', 'account.credit.retired'] as const;
export type CreditRule = (typeof CREDIT_RULES)[number];

export type MonthlyCredit =
  | { readonly amount: Fen; readonly rule: CreditRule; readonly base: Fen | null }
  | { readonly skipped: 'no_contribution_base' };

/**
 * In service: the share of the monthly contribution base, rounded half-up to
 * the fen; retired: the policy's fixed amount. An in-service employee without
 * a recorded base is skipped (reported, never credited zero or a guess).
 */
export function monthlyCredit(rules: PersonalAccountRules, person: { status: EmploymentStatus; base: Fen | null }): MonthlyCredit {
  if (person.status === 'retired') return { amount: rules.retiredMonthly, rule: 'account.credit.retired', base: null };
  if (person.base === null || person.base <= 0) return { skipped: 'no_contribution_base' };
  const amount = applyRatio(person.base, rules.inServiceShare);
  return { amount: Math.min(amount, MAX_MONTHLY_CREDIT), rule: 'account.credit.in_service', base: person.base };
}

/** "2025-06" → its year; throws nothing: the caller validated the month's shape. */
export function yearOfMonth(month: string): number {
  return Number(month.slice(0, 4));
}

/** A month as YYYY-MM with a real month number, or null. */
export function parseMonth(text: string): string | null {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? `${m[1]}-${m[2]}` : null;
}
