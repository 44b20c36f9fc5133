/**
 * Posting rules: what each event writes to the ledger, as balanced lines
 * (debit positive, credit negative, integer fen). Pure: amounts in, lines out.
 * Every function here returns lines that sum to zero within each fund.
 */
import type { Fen } from '../money.ts';
import { account, type AccountCode, type LedgerFund } from './accounts.ts';

export interface JournalLine {
  readonly account: AccountCode;
  readonly fund: LedgerFund;
  /** Debit positive, credit negative; never zero. */
  readonly amount: Fen;
}

/** What a journal records (the events of issue 14). */
export const JOURNAL_KINDS = [
  'settlement', 'readjudication', 'reversal',
  'contribution', 'contribution_reversal', 'subsidy', 'receipt',
  'assistance_application', 'assistance_exception', 'assistance_recovery',
  'clearing', 'payout', 'payout_return',
  'account_credit', 'account_spend', 'account_restore',
] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** One event's amounts per ledger fund. */
export type FundAmounts = Readonly<Record<LedgerFund, Fen>>;

function pair(fund: LedgerFund, debit: Parameters<typeof account>[1], credit: Parameters<typeof account>[1], amount: Fen): JournalLine[] {
  if (!Number.isSafeInteger(amount)) throw new Error(`posting: ${amount} is not a whole number of fen`);
  if (amount === 0) return [];
  return [
    { account: account(fund, debit), fund, amount },
    { account: account(fund, credit), fund, amount: -amount },
  ];
}

/**
 * A bill's funds by ledger fund: each supplementary tier's share from the
 * steps that name it, any remainder on `supplementary` itself.
 */
export function billFunds(
  funds: Readonly<Record<'basic' | 'critical' | 'assistance' | 'supplementary' | 'tilt', Fen>>,
  steps: readonly { readonly fund: string; readonly amount: Fen; readonly tier?: string | undefined }[] | null,
): FundAmounts {
  const out: Record<LedgerFund, Fen> = {};
  const add = (f: LedgerFund, a: Fen) => {
    if (a !== 0) out[f] = (out[f] ?? 0) + a;
  };
  add('basic', funds.basic);
  add('critical', funds.critical);
  add('assistance', funds.assistance);
  add('tilt', funds.tilt);
  let tiers = 0;
  for (const s of steps ?? []) {
    if (s.fund === 'supplementary' && s.tier !== undefined && s.amount !== 0) {
      add(`supplementary.${s.tier}`, s.amount);
      tiers += s.amount;
    }
  }
  // Steps that disagree with the fund total (an adjustment without steps): the rest stays on the root.
  if (tiers !== funds.supplementary) {
    for (const k of Object.keys(out)) if (k.startsWith('supplementary.')) delete out[k];
    add('supplementary', funds.supplementary);
  }
  return out;
}

/**
 * Moves what a bill stands at in the ledger from `current` to `target`, fund
 * by fund: the fund's benefit spending against what it owes the facility.
 * A settlement is current = {}; a reversal target = {}; a re-adjudication both.
 */
export function billPosting(target: FundAmounts, current: FundAmounts): JournalLine[] {
  const funds = [...new Set([...Object.keys(current), ...Object.keys(target)])].sort();
  return funds.flatMap((f) => pair(f, 'benefit', 'payable_facility', (target[f] ?? 0) - (current[f] ?? 0)));
}

/** The department whose money is the assistance fund's own (a subsidy it pays is a transfer between funds). */
export const ASSISTANCE_DEPARTMENT = 'medical_assistance';

/**
 * A contribution to the basic fund: by the person, or on their behalf by a
 * department. The assistance fund paying on behalf is a transfer: its own
 * spending, the basic fund's subsidy income. Negative amounts reverse.
 */
export function contributionPosting(amount: Fen, department: string | null): JournalLine[] {
  if (department === null) return pair('basic', 'bank', 'contribution', amount);
  const lines = pair('basic', 'bank', 'subsidy', amount);
  if (department === ASSISTANCE_DEPARTMENT) lines.push(...pair('assistance', 'subsidy_paid', 'bank', amount));
  return lines;
}

/** Money received into a fund from outside: a fiscal allocation, a department's transfer. */
export function receiptPosting(fund: LedgerFund, kind: 'finance' | 'subsidy' | 'transfer_in', amount: Fen): JournalLine[] {
  return pair(fund, 'bank', kind, amount);
}

/** Assistance granted to a resident (on application, case by case): owed to them until paid. Negative: recovered. */
export function assistanceGrantPosting(amount: Fen): JournalLine[] {
  return pair('assistance', 'benefit', 'payable_resident', amount);
}

/**
 * Employee personal accounts (issue 13): a monthly credit is money into the
 * accounts' fund; a spend pays the hospital for the patient's part (owed to
 * it like the funds' payments); a restoration (a reversal, a smaller patient
 * part after re-adjudication) takes a spend back.
 */
export function accountCreditPosting(amount: Fen): JournalLine[] {
  return pair('personal_account', 'bank', 'contribution', amount);
}

export function accountSpendPosting(amount: Fen): JournalLine[] {
  return pair('personal_account', 'benefit', 'payable_facility', amount);
}

/** A payout to a resident's bank account; negative when the bank returns it. */
export function payoutPosting(amount: Fen): JournalLine[] {
  return pair('assistance', 'payable_resident', 'bank', amount);
}

/** What a monthly clearing of one facility changes besides the payment itself (all on the basic fund). */
export interface ClearingAmounts {
  /** What each fund pays the facility this clearing. */
  readonly payments: FundAmounts;
  /** Review deductions (审核扣款): spending the fund does not bear. */
  readonly reviewDeductions: Fen;
  /** What the fund pays under DRG less what it paid item by item for the same discharges (may be negative). */
  readonly drgDifference: Fen;
  readonly depositWithheld: Fen;
  readonly depositReleased: Fen;
  /** Deposit the hospital loses at the year end (its assessment fell short): the fund keeps it. */
  readonly depositForfeited?: Fen;
}

/** A clearing: deductions and DRG difference correct the basic fund's spending; the deposit moves to and from its holding account; each fund pays. */
export function clearingPosting(c: ClearingAmounts): JournalLine[] {
  const lines: JournalLine[] = [
    ...pair('basic', 'payable_facility', 'benefit', c.reviewDeductions),
    ...pair('basic', 'benefit', 'payable_facility', c.drgDifference),
    ...pair('basic', 'payable_facility', 'deposit_held', c.depositWithheld),
    ...pair('basic', 'deposit_held', 'payable_facility', c.depositReleased),
    ...pair('basic', 'deposit_held', 'benefit', c.depositForfeited ?? 0),
  ];
  for (const f of Object.keys(c.payments).sort()) lines.push(...pair(f, 'payable_facility', 'bank', c.payments[f]!));
  return lines;
}

/** Funds whose lines do not sum to zero, with their sums (empty: balanced). */
export function imbalance(lines: readonly JournalLine[]): Record<LedgerFund, Fen> {
  const sums: Record<LedgerFund, Fen> = {};
  for (const l of lines) sums[l.fund] = (sums[l.fund] ?? 0) + l.amount;
  for (const [f, s] of Object.entries(sums)) if (s === 0) delete sums[f];
  return sums;
}

/** Sum of lines per account. */
export function balances(lines: readonly JournalLine[]): Map<AccountCode, Fen> {
  const out = new Map<AccountCode, Fen>();
  for (const l of lines) out.set(l.account, (out.get(l.account) ?? 0) + l.amount);
  return out;
}
