/**
 * A department pays the individual part of everyone on one of its rosters who
 * has not paid yet (代缴), in one batch. Idempotent: run again with nothing
 * left due, it answers the batch the first run made — no second, empty batch;
 * people who became due since are paid in a new batch of their own.
 */
import { notFound, unprocessable } from '../domain/errors.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { countDue, latestBatch, payRosterInBulk, type BatchResult } from '../store/repositories/payments.ts';
import { postContribution } from './ledger-posting.ts';
import { findRoster } from '../store/repositories/rosters.ts';
import { checkPaidOn, today } from './enrollment-payments.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export interface BatchPaymentRequest {
  readonly year: number;
  readonly rosterId: number;
  readonly department: string;
  readonly division: string;
  readonly reference: string | null;
  readonly paidOn?: string | undefined;
  readonly actor: string;
}

export async function payRoster(db: Db, policies: PolicyRegistry, r: BatchPaymentRequest): Promise<BatchResult> {
  const paidOn = checkPaidOn(r.paidOn ?? today());
  return db.transaction(async (tx) => {
    // One batch run at a time for the same roster, year and department: a second waits, then finds nothing due.
    await lockInSchema(tx, `batch:${r.year}:${r.rosterId}:${r.department}:${r.division}`);
    const roster = await findRoster(tx, r.rosterId);
    if (!roster) throw notFound('UNKNOWN_ROSTER', `no roster ${r.rosterId}`, 'rosterId');
    if ((await countDue(tx, r)) === 0) {
      const earlier = await latestBatch(tx, r);
      if (earlier) return earlier;
      throw unprocessable('NOTHING_DUE', `no one on roster #${r.rosterId} in ${r.division} has an individual part left to pay for ${r.year}`, 'rosterId');
    }
    const policy = policies.forDivision(r.division, r.year);
    const rules = policy?.enrollment.collection ?? null;
    const yearStart = rules?.coverFrom ?? `${r.year}-01-01`;
    // Assisted groups paid on behalf wait no period: in the window, the policy's day; after it, the day paid.
    const inWindow = rules === null || paidOn <= rules.window.to;
    const coverFrom = paidOn > yearStart ? paidOn : yearStart;
    if (coverFrom > `${r.year}-12-31`) throw unprocessable('NO_COVER_LEFT', `paid on ${paidOn}: ${r.year} is over, a payment for it buys no cover — nothing recorded`, 'paidOn');
    const result = await payRosterInBulk(tx, { ...r, paidOn, coverFrom, coverReason: inWindow ? 'in_window' : 'exempt' });
    await postContribution(tx, { source: `payment_batch:${result.batchId}`, personId: null, year: r.year, amount: result.amount, department: r.department, actor: r.actor });
    await audit(tx, { actor: r.actor, action: 'payment.batch', entity: 'payment_batch', entityId: result.batchId, detail: { ...r, paidOn, ...result } });
    return result;
  });
}
