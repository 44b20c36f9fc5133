/**
 * Assistance payouts (救助金发放): assistance granted on application or case
 * by case, paid into the resident's bank card. Maker-checker: the clerk who
 * granted the assistance, and the one who prepared the payout, can never
 * approve it. Approved payouts go to the bank in a batch (the ledger pays);
 * the bank may return one (the ledger takes it back) and it is re-issued,
 * to a corrected card if need be. Card numbers are checked (Luhn),
 * encrypted at rest and shown masked; every step is audited.
 */
import { maskAccount, parseCardNumber } from '../domain/bank-account.ts';
import { conflict, forbidden, invalid, notFound, unprocessable } from '../domain/errors.ts';
import { payoutPosting } from '../domain/ledger/posting.ts';
import type { StaffContext } from '../domain/access.ts';
import { pgErrorCode, UNIQUE_VIOLATION, type Db, type Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import {
  approvedPayouts,
  findBankBatch,
  findGrant,
  findPayout,
  insertBankBatch,
  insertPayout,
  listPayouts,
  setPayoutStatus,
  type BankBatchRow,
  type PayoutRow,
} from '../store/repositories/bank.ts';
import { insertJournal } from '../store/repositories/ledger.ts';
import { encryptAccount, requireBankKey, type BankKey } from './bank-account-crypto.ts';

const actorOf = (s: StaffContext) => `staff:${s.username}`;

export interface PayoutView {
  readonly id: number;
  readonly source: 'application' | 'exception';
  readonly sourceId: number;
  readonly personId: number;
  readonly year: number;
  readonly amount: number;
  readonly account: string;
  readonly bankName: string;
  readonly status: PayoutRow['status'];
  readonly grantedBy: string;
  readonly preparedBy: string;
  readonly approvedBy: string | null;
  readonly batchId: number | null;
  readonly returnedReason: string | null;
  readonly reissueOf: number | null;
}

export function presentPayout(p: PayoutRow): PayoutView {
  return {
    id: p.id, source: p.source, sourceId: p.source_id, personId: p.person_id, year: p.year, amount: p.amount_fen, account: maskAccount(p.account_last4),
    bankName: p.bank_name, status: p.status, grantedBy: p.granted_by, preparedBy: p.prepared_by, approvedBy: p.approved_by, batchId: p.batch_id,
    returnedReason: p.returned_reason, reissueOf: p.reissue_of,
  };
}

function bankName(v: unknown): string {
  if (typeof v !== 'string' || v.trim().length === 0 || v.length > 100) throw invalid('INVALID_INPUT', 'bankName is 1 to 100 characters', 'bankName');
  return v.trim();
}

async function inScope(q: Queryable, staff: StaffContext, id: number, forUpdate = false): Promise<PayoutRow> {
  const p = await findPayout(q, id, forUpdate);
  if (!p || !p.division_code.startsWith(staff.divisionCode)) throw notFound('UNKNOWN_PAYOUT', `no payout ${id}`, 'id');
  return p;
}

/** Prepares the payout of a grant to a bank card (the card checked by its Luhn digit, stored encrypted). */
export async function preparePayout(
  db: Db,
  key: BankKey | undefined,
  staff: StaffContext,
  r: { source: 'application' | 'exception'; sourceId: number; accountNumber: unknown; bankName: unknown },
): Promise<PayoutView> {
  const k = requireBankKey(key);
  const card = parseCardNumber(r.accountNumber);
  const bank = bankName(r.bankName);
  try {
    return await db.transaction(async (tx) => {
      const grant = await findGrant(tx, r.source, r.sourceId);
      if (!grant) throw notFound('UNKNOWN_GRANT', `no assistance ${r.source} ${r.sourceId}`, 'sourceId');
      const [person] = await tx.query<{ division_code: string }>('SELECT division_code FROM persons WHERE id = $1', [grant.person_id]);
      if (!person!.division_code.startsWith(staff.divisionCode)) throw notFound('UNKNOWN_GRANT', `no assistance ${r.source} ${r.sourceId}`, 'sourceId');
      if (grant.amount <= 0) throw unprocessable('NOTHING_TO_PAY', 'nothing of this grant is left to pay', 'sourceId');
      const id = await insertPayout(tx, {
        source: r.source, source_id: r.sourceId, person_id: grant.person_id, year: grant.year, amount_fen: grant.amount, granted_by: grant.granted_by,
        account_cipher: encryptAccount(k, card), account_last4: card.slice(-4), bank_name: bank, prepared_by: actorOf(staff), reissue_of: null,
      });
      await audit(tx, { actor: actorOf(staff), action: 'payout.prepare', entity: 'assistance_payout', entityId: id, detail: { source: r.source, sourceId: r.sourceId, personId: grant.person_id, amount: grant.amount, last4: card.slice(-4) } });
      return presentPayout((await findPayout(tx, id))!);
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw conflict('PAYOUT_EXISTS', `assistance ${r.source} ${r.sourceId} already has a payout in progress`, 'sourceId');
    throw error;
  }
}

/** The checker approves: never the maker (who granted the assistance) nor who prepared the payout. */
export async function approvePayout(db: Db, staff: StaffContext, id: number): Promise<PayoutView> {
  return db.transaction(async (tx) => {
    const p = await inScope(tx, staff, id, true);
    const me = actorOf(staff);
    if (me === p.granted_by) throw forbidden('MAKER_CANNOT_APPROVE', 'you granted this assistance: another clerk approves its payment');
    if (me === p.prepared_by) throw forbidden('MAKER_CANNOT_APPROVE', 'you prepared this payout: another clerk approves it');
    if (p.status !== 'pending') throw conflict('INVALID_TRANSITION', `a ${p.status} payout cannot be approved`, 'status');
    await setPayoutStatus(tx, id, 'approved', { approvedBy: me });
    await audit(tx, { actor: me, action: 'payout.approve', entity: 'assistance_payout', entityId: id, detail: { amount: p.amount_fen, grantedBy: p.granted_by, preparedBy: p.prepared_by } });
    return presentPayout((await findPayout(tx, id))!);
  });
}

/** Sends every approved payout in the staff member's area to the bank in one batch: the assistance fund pays. */
export async function createPayoutBatch(db: Db, staff: StaffContext, reference: string): Promise<BankBatchRow> {
  if (!/^[\w.-]{1,40}$/.test(reference)) throw invalid('INVALID_REFERENCE', 'the batch reference is 1 to 40 letters, digits, . - _', 'reference');
  return db.transaction(async (tx) => {
    const payouts = await approvedPayouts(tx, staff.divisionCode);
    if (payouts.length === 0) throw unprocessable('NOTHING_TO_PAY', 'no approved payout is waiting', 'reference');
    const total = payouts.reduce((t, p) => t + p.amount_fen, 0);
    const batchId = await insertBankBatch(tx, { kind: 'payout', reference, lines: payouts.length, total, by: actorOf(staff) });
    for (const p of payouts) {
      await setPayoutStatus(tx, p.id, 'sent', { batchId });
      await insertJournal(tx, { kind: 'payout', source: `payout:${p.id}`, personId: p.person_id, year: p.year, actor: actorOf(staff), lines: payoutPosting(p.amount_fen) });
    }
    await audit(tx, { actor: actorOf(staff), action: 'bank_batch.create', entity: 'bank_batch', entityId: batchId, detail: { kind: 'payout', lines: payouts.length, total } });
    return (await findBankBatch(tx, batchId))!;
  });
}

/** The bank confirmed the payment. */
export async function confirmPayout(db: Db, staff: StaffContext, id: number): Promise<PayoutView> {
  return db.transaction(async (tx) => {
    const p = await inScope(tx, staff, id, true);
    if (p.status !== 'sent') throw conflict('INVALID_TRANSITION', `a ${p.status} payout cannot be confirmed paid`, 'status');
    await setPayoutStatus(tx, id, 'paid');
    await audit(tx, { actor: actorOf(staff), action: 'payout.paid', entity: 'assistance_payout', entityId: id, detail: { amount: p.amount_fen } });
    return presentPayout((await findPayout(tx, id))!);
  });
}

/** The bank returned the payment (closed card, wrong name): the money is back in the fund, owed to the resident again. */
export async function returnPayout(db: Db, staff: StaffContext, id: number, reason: unknown): Promise<PayoutView> {
  if (typeof reason !== 'string' || reason.trim().length < 2 || reason.length > 500) throw invalid('INVALID_REASON', 'the bank’s reason (2 to 500 characters)', 'reason');
  return db.transaction(async (tx) => {
    const p = await inScope(tx, staff, id, true);
    if (p.status !== 'sent' && p.status !== 'paid') throw conflict('INVALID_TRANSITION', `a ${p.status} payout cannot be returned by the bank`, 'status');
    await setPayoutStatus(tx, id, 'returned', { reason: reason.trim() });
    await insertJournal(tx, { kind: 'payout_return', source: `payout:${id}`, personId: p.person_id, year: p.year, actor: actorOf(staff), lines: payoutPosting(-p.amount_fen) });
    await audit(tx, { actor: actorOf(staff), action: 'payout.returned', entity: 'assistance_payout', entityId: id, detail: { amount: p.amount_fen, reason: reason.trim() } });
    return presentPayout((await findPayout(tx, id))!);
  });
}

/** Re-issues a returned payout, to a corrected card when one is given; it is approved again like any payout. */
export async function reissuePayout(
  db: Db,
  key: BankKey | undefined,
  staff: StaffContext,
  id: number,
  r: { accountNumber?: unknown; bankName?: unknown },
): Promise<PayoutView> {
  const k = requireBankKey(key);
  const card = r.accountNumber === undefined ? null : parseCardNumber(r.accountNumber);
  const bank = r.bankName === undefined ? null : bankName(r.bankName);
  try {
    return await db.transaction(async (tx) => {
      const p = await inScope(tx, staff, id, true);
      if (p.status !== 'returned') throw conflict('INVALID_TRANSITION', `only a returned payout is re-issued, not a ${p.status} one`, 'status');
      const newId = await insertPayout(tx, {
        source: p.source, source_id: p.source_id, person_id: p.person_id, year: p.year, amount_fen: p.amount_fen, granted_by: p.granted_by,
        account_cipher: card ? encryptAccount(k, card) : p.account_cipher, account_last4: card ? card.slice(-4) : p.account_last4,
        bank_name: bank ?? p.bank_name, prepared_by: actorOf(staff), reissue_of: p.id,
      });
      await audit(tx, { actor: actorOf(staff), action: 'payout.reissue', entity: 'assistance_payout', entityId: newId, detail: { reissueOf: p.id, amount: p.amount_fen, newCard: card !== null, last4: card ? card.slice(-4) : p.account_last4 } });
      return presentPayout((await findPayout(tx, newId))!);
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) throw conflict('PAYOUT_EXISTS', 'this grant already has a payout in progress', 'id');
    throw error;
  }
}

export async function payoutsFor(db: Db, staff: StaffContext, f: { status?: string | undefined; limit: number; offset: number }): Promise<PayoutView[]> {
  return (await listPayouts(db, { ...f, divisionPrefix: staff.divisionCode })).map(presentPayout);
}
