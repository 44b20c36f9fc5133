/**
 * Money received into a fund from outside the settlement flow: a fiscal
 * allocation (财政补助), a department's subsidy transfer (资助参保资金), a
 * transfer. Idempotent on the reference; audited.
 */
import { isLedgerFund } from '../domain/ledger/accounts.ts';
import { ASSISTANCE_DEPARTMENT, contributionPosting, receiptPosting } from '../domain/ledger/posting.ts';
import { conflict, invalid } from '../domain/errors.ts';
import { isFen } from '../domain/money.ts';
import { DEPARTMENTS } from '../domain/vocabulary.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { findJournal, insertJournal } from '../store/repositories/ledger.ts';

export const RECEIPT_KINDS = ['finance', 'subsidy', 'transfer_in'] as const;

export interface ReceiptRequest {
  readonly fund: string;
  readonly kind: string;
  readonly amount: number;
  readonly year: number;
  readonly reference: string;
  readonly department: string | null;
  readonly actor: string;
}

export async function receiveIntoFund(db: Db, r: ReceiptRequest): Promise<{ journalId: number; replayed: boolean }> {
  if (!isLedgerFund(r.fund)) throw invalid('UNKNOWN_FUND', `no fund "${r.fund}" in the ledger`, 'fund');
  if (!(RECEIPT_KINDS as readonly string[]).includes(r.kind)) throw invalid('INVALID_KIND', `kind must be one of ${RECEIPT_KINDS.join(', ')}`, 'kind');
  if (!isFen(r.amount) || r.amount === 0) throw invalid('INVALID_AMOUNT', 'the amount must be a positive whole number of fen', 'amount');
  if (r.department !== null && !(DEPARTMENTS as readonly string[]).includes(r.department)) throw invalid('UNKNOWN_DEPARTMENT', `no department "${r.department}"`, 'department');
  if (!/^[\w.:/-]{1,64}$/.test(r.reference)) throw invalid('INVALID_REFERENCE', 'the reference is 1 to 64 letters, digits or . : / - _', 'reference');
  const source = `receipt:${r.reference}`;
  return db.transaction(async (tx) => {
    const existing = await findJournal(tx, 'receipt', source);
    if (existing) {
      const same = existing.year === r.year && existing.lines.some((l) => l.account === `${r.fund}:${r.kind}` && l.amount === -r.amount);
      if (!same) throw conflict('IDEMPOTENCY_CONFLICT', `receipt ${r.reference} was already recorded with other figures`, 'reference');
      return { journalId: existing.id, replayed: true };
    }
    const journalId = (await insertJournal(tx, {
      kind: 'receipt', source, year: r.year, actor: r.actor, department: r.department,
      // The assistance fund subsidising contributions is a transfer between two funds of the bureau: both sides post.
      lines: r.fund === 'basic' && r.kind === 'subsidy' && r.department === ASSISTANCE_DEPARTMENT
        ? contributionPosting(r.amount, ASSISTANCE_DEPARTMENT)
        : receiptPosting(r.fund, r.kind as (typeof RECEIPT_KINDS)[number], r.amount),
    }))!;
    await audit(tx, { actor: r.actor, action: 'ledger.receipt', entity: 'ledger_journal', entityId: journalId, detail: { fund: r.fund, kind: r.kind, amount: r.amount, year: r.year, reference: r.reference, department: r.department } });
    return { journalId, replayed: false };
  });
}
