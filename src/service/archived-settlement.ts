/**
 * A transaction id the settlements table does not hold: never settled (404
 * UNKNOWN_SETTLEMENT), or settled in a year since archived — its key outlives
 * the partition (409 TRANSACTION_ARCHIVED: the bill exists, in the archive).
 */
import { conflict, notFound, type DomainError } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { isArchivedSettlementId, keyedSettlementId } from '../store/repositories/settlement-archive.ts';

export async function missingSettlement(q: Queryable, facilityId: number, transactionId: string, unknownMessage: string): Promise<DomainError> {
  if ((await keyedSettlementId(q, facilityId, transactionId)) !== undefined) {
    return conflict('TRANSACTION_ARCHIVED', `transaction ${transactionId} was settled in a year since archived: it can no longer change`, 'transactionId');
  }
  return notFound('UNKNOWN_SETTLEMENT', unknownMessage, 'transactionId');
}

/** The same by settlement id (the bureau's window, the console): 409 when the id lies in an archived range. */
export async function missingSettlementId(q: Queryable, settlementId: number, unknown: DomainError): Promise<DomainError> {
  if (await isArchivedSettlementId(q, settlementId)) {
    return conflict('TRANSACTION_ARCHIVED', `settlement ${settlementId} was settled in a year since archived: it can no longer change`, unknown.field ?? 'id');
  }
  return unknown;
}
