/**
 * Who pays what of a bill's patient part from personal accounts: the
 * patient's own account first (职工本人), then the accounts of the employees who
 * share theirs with the patient (家庭共济), in the order they linked. Pure.
 *
 * National practice (国家医保信息平台, 结算 2207): the hospital sends only
 * `acct_used_flag`; the account pays what it can of the part it may pay and
 * the rest is cash (`psn_cash_pay`) — a balance below the bill is not an error.
 * A caller that names an amount (`acctPayAmount`) asks for exactly that sum, so
 * a sum above the balances, or above the part the account may pay, is refused.
 */
import { unprocessable } from '../errors.ts';
import type { Fen } from '../money.ts';

export interface PayingAccount {
  /** The account holder (an employee). */
  readonly holderId: number;
  readonly balance: Fen;
  /** 'own': the patient's account; 'family': a relative's shared account. */
  readonly kind: 'own' | 'family';
}

export interface AccountPayment {
  readonly holderId: number;
  readonly kind: 'own' | 'family';
  readonly amount: Fen;
  readonly balanceAfter: Fen;
}

export interface Allocation {
  readonly payments: readonly AccountPayment[];
  /** acct_pay: from the patient's own account. */
  readonly own: Fen;
  /** acct_mulaid_pay: from relatives' shared accounts. */
  readonly family: Fen;
}

export function allocateAccountPayment(payable: Fen, accounts: readonly PayingAccount[], requested?: Fen): Allocation {
  const available = accounts.reduce((sum, a) => sum + Math.max(0, a.balance), 0);
  if (requested !== undefined) {
    if (requested > payable) {
      throw unprocessable('ACCOUNT_ABOVE_PAYABLE', `the account may pay at most ${payable} fen of this bill (the part the funds leave to the patient); ${requested} fen was asked`, 'acctPayAmount');
    }
    if (requested > available) {
      throw unprocessable('ACCOUNT_INSUFFICIENT', `the personal accounts hold ${available} fen; ${requested} fen was asked`, 'acctPayAmount');
    }
  }
  let left = requested ?? Math.min(payable, available);
  const payments: AccountPayment[] = [];
  for (const a of accounts) {
    if (left === 0) break;
    const amount = Math.min(left, Math.max(0, a.balance));
    if (amount === 0) continue;
    payments.push({ holderId: a.holderId, kind: a.kind, amount, balanceAfter: a.balance - amount });
    left -= amount;
  }
  const sum = (kind: 'own' | 'family') => payments.filter((p) => p.kind === kind).reduce((s, p) => s + p.amount, 0);
  return { payments, own: sum('own'), family: sum('family') };
}

/**
 * What must go back to the accounts when a bill's payable part shrinks to
 * `payable` (a correction, a re-adjudication): the excess of what they paid,
 * taken back from the last payment first. Nothing when they paid no more than
 * the bill now allows — the patient's choice at the desk stands.
 */
export function excessToRestore(payments: readonly { id: number; amount: Fen }[], payable: Fen): { id: number; amount: Fen }[] {
  let excess = payments.reduce((s, p) => s + p.amount, 0) - Math.max(0, payable);
  const out: { id: number; amount: Fen }[] = [];
  for (const p of [...payments].reverse()) {
    if (excess <= 0) break;
    const amount = Math.min(excess, p.amount);
    out.push({ id: p.id, amount });
    excess -= amount;
  }
  return out;
}
