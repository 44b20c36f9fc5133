/**
 * `sanbao ledger verify`: the trial balance is zero (in total and per fund),
 * every journal balances, and the ledger equals the events it came from:
 * settlements with their re-adjudications and reversals, contributions,
 * assistance, clearings and payouts. The first difference is named.
 */
import type { Db } from '../store/db.ts';
import { firstUnbalancedJournal, trialBalance, type AccountBalance } from '../store/repositories/ledger.ts';
import {
  compareAccounts,
  compareAssistance,
  compareBills,
  compareClearings,
  compareContributions,
  comparePayouts,
  type SourceComparison,
} from '../store/repositories/ledger-sources.ts';

export interface VerifyCheck extends SourceComparison {
  readonly name: string;
}

export interface LedgerVerification {
  readonly ok: boolean;
  /** Sum of every entry: zero when the books balance. */
  readonly trialBalance: number;
  readonly byFund: Readonly<Record<string, number>>;
  readonly accounts: readonly AccountBalance[];
  readonly checks: readonly VerifyCheck[];
  /** The first difference, in words; null when the ledger is exact. */
  readonly firstDifference: string | null;
}

/** Extra comparisons other modules register (clearing, payouts), each a named source against the ledger. */
export type SourceCheck = { readonly name: string; readonly run: (db: Db) => Promise<SourceComparison> };

const CORE_CHECKS: readonly SourceCheck[] = [
  { name: 'settlements', run: compareBills },
  { name: 'contributions', run: compareContributions },
  { name: 'assistance', run: compareAssistance },
  { name: 'clearings', run: compareClearings },
  { name: 'payouts', run: comparePayouts },
  { name: 'personal accounts', run: compareAccounts },
];

export async function verifyLedger(db: Db, extra: readonly SourceCheck[] = []): Promise<LedgerVerification> {
  const accounts = await trialBalance(db);
  const byFund: Record<string, number> = {};
  let total = 0;
  for (const a of accounts) {
    byFund[a.fund] = (byFund[a.fund] ?? 0) + a.balance;
    total += a.balance;
  }
  let firstDifference: string | null = null;
  const unbalanced = await firstUnbalancedJournal(db);
  if (total !== 0) firstDifference = `the trial balance is ${total} fen, not zero`;
  else if (unbalanced) firstDifference = `journal ${unbalanced.journal_id} does not balance in fund ${unbalanced.fund} (${unbalanced.sum} fen)`;
  else {
    const fund = Object.entries(byFund).find(([, v]) => v !== 0);
    if (fund) firstDifference = `fund ${fund[0]} does not balance (${fund[1]} fen)`;
  }
  const checks: VerifyCheck[] = [];
  for (const c of [...CORE_CHECKS, ...extra]) {
    const result = await c.run(db);
    checks.push({ name: c.name, ...result });
    if (firstDifference === null && result.first) {
      firstDifference = `${c.name}: ${result.first.key}: the source says ${result.first.source} fen, the ledger ${result.first.ledger} fen`;
    }
  }
  return { ok: firstDifference === null, trialBalance: total, byFund, accounts, checks, firstDifference };
}
