/**
 * Bank payment batches (付款批次) for the bureau's finance office: the month's
 * clearings of hospitals, or approved assistance payouts, as one file in the
 * documented bank format (docs/bank-batch.md), CSV or XLSX. The file is the
 * only place account numbers appear whole; each download is audited.
 */
import { parseCorporateAccount, maskAccount } from '../domain/bank-account.ts';
import { invalid, notFound, unprocessable } from '../domain/errors.ts';
import { formatYuan } from '../domain/money.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import {
  clearingBatchLines,
  facilityAccounts,
  findBankBatch,
  insertBankBatch,
  payoutsOfBatch,
  upsertFacilityAccount,
  type BankBatchRow,
} from '../store/repositories/bank.ts';
import { listClearings, setClearingsBatch } from '../store/repositories/clearings.ts';
import { findFacilityByCode } from '../store/repositories/facilities.ts';
import { decryptAccount, encryptAccount, requireBankKey, type BankKey } from './bank-account-crypto.ts';
import { toCsv, toXlsx, type Sheet } from './tabular.ts';

/** The bank file's columns, in order (docs/bank-batch.md). */
export const BANK_COLUMNS = ['序号', '收款账号', '收款户名', '收款行', '金额', '币种', '用途', '业务参考号'] as const;

export interface BankLine {
  readonly account: string;
  readonly name: string;
  readonly bank: string;
  readonly amount: number;
  readonly purpose: string;
  readonly reference: string;
}

/** Yuan with two decimals and no separators, from fen digit by digit: 123456 → "1234.56". */
export function bankAmount(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen <= 0) throw new Error(`a bank line pays a positive whole number of fen, not ${fen}`);
  return formatYuan(fen).replaceAll(',', '');
}

export function bankSheet(reference: string, lines: readonly BankLine[]): Sheet {
  return {
    name: reference,
    columns: BANK_COLUMNS,
    rows: lines.map((l, i) => [i + 1, l.account, l.name, l.bank, bankAmount(l.amount), 'CNY', l.purpose, l.reference]),
  };
}

export async function bankFile(reference: string, lines: readonly BankLine[], format: 'csv' | 'xlsx'): Promise<Buffer> {
  const sheet = bankSheet(reference, lines);
  return format === 'csv' ? toCsv(sheet) : toXlsx([sheet]);
}

/** Sets a hospital's account for its clearing payments (number encrypted, audited with the last four digits only). */
export async function setFacilityAccount(
  db: Db,
  key: BankKey | undefined,
  r: { facility: string; accountNumber: unknown; accountName: unknown; bankName: unknown; actor: string },
): Promise<{ facility: string; account: string; accountName: string; bankName: string }> {
  const k = requireBankKey(key);
  const number = parseCorporateAccount(r.accountNumber);
  for (const [v, f] of [[r.accountName, 'accountName'], [r.bankName, 'bankName']] as const) {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > 100) throw invalid('INVALID_INPUT', `${f} is 1 to 100 characters`, f);
  }
  return db.transaction(async (tx) => {
    const facility = await findFacilityByCode(tx, r.facility);
    if (!facility) throw notFound('UNKNOWN_FACILITY', `no facility ${r.facility}`, 'facility');
    const last4 = number.slice(-4);
    await upsertFacilityAccount(tx, { facilityId: facility.id, cipher: encryptAccount(k, number), last4, accountName: (r.accountName as string).trim(), bankName: (r.bankName as string).trim(), by: r.actor });
    await audit(tx, { actor: r.actor, action: 'facility.bank_account', entity: 'facility', entityId: facility.id, detail: { facility: facility.code, last4 } });
    return { facility: facility.code, account: maskAccount(last4), accountName: (r.accountName as string).trim(), bankName: (r.bankName as string).trim() };
  });
}

/**
 * A batch of a period's clearings not yet in one (positive net only: a
 * hospital that owes money back is recovered, not paid). Every hospital in it
 * needs an account; one without is named and nothing is written.
 */
export async function createClearingBatch(db: Db, r: { period: string; reference: string; actor: string; divisionPrefix?: string }): Promise<BankBatchRow> {
  if (!/^[\w.-]{1,40}$/.test(r.reference)) throw invalid('INVALID_REFERENCE', 'the batch reference is 1 to 40 letters, digits, . - _', 'reference');
  return db.transaction(async (tx) => {
    const clearings = (await listClearings(tx, { period: r.period, unbatched: true, divisionPrefix: r.divisionPrefix, limit: 10_000, offset: 0 })).filter((c) => c.net_fen > 0);
    if (clearings.length === 0) throw unprocessable('NOTHING_TO_PAY', `no clearing of ${r.period} is waiting for payment`, 'period');
    const accounts = await facilityAccounts(tx, clearings.map((c) => c.facility_id));
    const missing = clearings.filter((c) => !accounts.has(c.facility_id)).map((c) => c.facility_code);
    if (missing.length > 0) throw unprocessable('NO_BANK_ACCOUNT', `no bank account for ${missing.join(', ')}`, 'facility');
    const total = clearings.reduce((t, c) => t + c.net_fen, 0);
    const id = await insertBankBatch(tx, { kind: 'clearing', reference: r.reference, lines: clearings.length, total, by: r.actor });
    await setClearingsBatch(tx, clearings.map((c) => c.id), id);
    await audit(tx, { actor: r.actor, action: 'bank_batch.create', entity: 'bank_batch', entityId: id, detail: { kind: 'clearing', period: r.period, lines: clearings.length, total } });
    return (await findBankBatch(tx, id))!;
  });
}

/** The batch's bank file, account numbers whole (decrypted here only); the download is audited. */
export async function batchFile(db: Db, key: BankKey | undefined, batchId: number, format: 'csv' | 'xlsx', actor: string): Promise<{ name: string; content: Buffer }> {
  const k = requireBankKey(key);
  const batch = await findBankBatch(db, batchId);
  if (!batch) throw notFound('UNKNOWN_BATCH', `no bank batch ${batchId}`, 'id');
  let lines: BankLine[];
  if (batch.kind === 'clearing') {
    lines = (await clearingBatchLines(db, batchId)).map((l) => ({
      account: decryptAccount(k, l.account_cipher), name: l.account_name, bank: l.bank_name, amount: Number(l.net_fen),
      purpose: `医保基金清算 ${l.period}`, reference: `CLR-${l.clearing_id}`,
    }));
  } else {
    const payouts = await payoutsOfBatch(db, batchId);
    const names = new Map((await db.query<{ id: number; name: string }>('SELECT id::int AS id, name FROM persons WHERE id = ANY($1::bigint[])', [payouts.map((p) => p.person_id)])).map((p) => [p.id, p.name]));
    lines = payouts.map((p) => ({
      account: decryptAccount(k, p.account_cipher), name: names.get(p.person_id) ?? '', bank: p.bank_name, amount: p.amount_fen,
      purpose: '医疗救助金', reference: `PAY-${p.id}`,
    }));
  }
  await audit(db, { actor, action: 'bank_batch.download', entity: 'bank_batch', entityId: batchId, detail: { format, lines: lines.length } });
  return { name: `${batch.reference}.${format}`, content: await bankFile(batch.reference, lines, format) };
}
