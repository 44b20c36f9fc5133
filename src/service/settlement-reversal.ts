/**
 * Reversal (冲正) of a settlement, with the re-adjudication of the person's
 * later bills of the year (issue 11), under the per-person accumulator lock.
 */
import { conflict, notFound } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { lockYearToDate } from '../store/repositories/accumulators.ts';
import { audit } from '../store/repositories/audit.ts';
import { isYearClosed } from '../store/repositories/closed-years.ts';
import type { FacilityRow } from '../store/repositories/facilities.ts';
import { findSettlementByTransaction, markReversed, type SettlementRow } from '../store/repositories/settlements.ts';
import { readjudicateInStore } from './readjudication.ts';
import { restoreAllSpends } from './personal-account-pay.ts';
import type { SettlementDeps } from './settlement-service.ts';
import { missingSettlement } from './archived-settlement.ts';

/**
 * Reverses a settlement (冲正) and settles the person's later bills of the year
 * again (issue 11): the year ends exactly as if the bill had never been
 * settled, the differences recorded as adjustment entries on the bills they
 * correct. Retrying with the same reversal id returns the same result; a
 * closed year is refused (only a year-end correction changes it).
 */
export async function reverseSettlement(
  deps: SettlementDeps,
  facility: FacilityRow,
  transactionId: string,
  reversalId: string,
): Promise<SettlementRow> {
  return deps.db.transaction(async (tx) => {
    const found = await findSettlementByTransaction(tx, facility.id, transactionId);
    if (!found) throw await missingSettlement(tx, facility.id, transactionId, `no settlement ${transactionId} at this facility`);
    return reverseLocked(tx, deps, found, reversalId, { actor: `facility:${facility.code}`, yearEndCorrection: null });
  });
}

/**
 * The reversal itself, in the caller's transaction: takes the person's
 * accumulator lock, then re-reads the bill under it. A year-end correction
 * (with who and why) is the only way into a closed year.
 */
export async function reverseLocked(
  tx: Queryable,
  deps: SettlementDeps,
  found: SettlementRow,
  reversalId: string,
  by: { actor: string; yearEndCorrection: { reason: string } | null; /** Why, when the bureau reverses at its window. */ reason?: string },
): Promise<SettlementRow> {
  await lockYearToDate(tx, found.person_id, found.year);
  const row = (await findSettlementByTransaction(tx, found.facility_id, found.transaction_id, true))!;
  if (row.status === 'reversed') {
    if (row.reversal_id === reversalId) return row;
    throw conflict('ALREADY_REVERSED', `settlement ${row.transaction_id} was already reversed by ${row.reversal_id}`, 'transactionId');
  }
  if (by.yearEndCorrection === null && (await isYearClosed(tx, row.year))) {
    throw conflict('YEAR_CLOSED', `${row.year} is closed: its bills change only through a year-end correction`, 'transactionId');
  }
  const outcome = await readjudicateInStore(tx, deps.policies, {
    personId: row.person_id, year: row.year, change: { kind: 'reversal', id: row.id }, changeRef: reversalId, actor: by.actor,
  });
  // Every fen the personal accounts paid on the bill goes back to the account it came from.
  const accountRestored = await restoreAllSpends(tx, row.id, by.actor, reversalId);
  const reversedAt = await markReversed(tx, row.id, reversalId);
  await audit(tx, {
    actor: by.actor,
    action: by.yearEndCorrection ? 'settlement.reverse_year_end' : 'settlement.reverse',
    entity: 'settlement',
    entityId: row.id,
    detail: {
      transactionId: row.transaction_id, reversalId, personId: row.person_id, total: row.total_fen, funds: outcome.result.removed?.funds ?? row.funds,
      readjudicationId: outcome.readjudicationId, adjustments: outcome.entries, accountRestored,
      ...(by.yearEndCorrection ? { reason: by.yearEndCorrection.reason } : by.reason ? { reason: by.reason } : {}),
    },
  });
  return { ...row, status: 'reversed', reversal_id: reversalId, reversed_at: reversedAt };
}
