/**
 * The personal account pays at the desk (issue 13): after the funds, at the
 * patient's choice (`acct_used_flag`), in the settlement's own transaction —
 * the patient's own account (acct_pay), then the accounts of employees who
 * share theirs with the patient (acct_mulaid_pay). Reversals give every fen
 * back to the account it came from; a re-adjudication that shrinks a bill's
 * patient part gives back what the accounts paid beyond it.
 */
import { allocateAccountPayment, excessToRestore, type PayingAccount } from '../domain/account/allocate.ts';
import type { PersonalAccountRules } from '../domain/account/rules.ts';
import type { Settlement } from '../domain/engine/types.ts';
import { invalid } from '../domain/errors.ts';
import type { Fen } from '../domain/money.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Queryable } from '../store/db.ts';
import { sharingHolders } from '../store/repositories/family-links.ts';
import { findAccount, lockAccounts, moveMoney, netSpendsBySettlement, spendsOfSettlement, type Movement } from '../store/repositories/personal-accounts.ts';
import { findPersonById, type PersonRow } from '../store/repositories/persons.ts';
import { storeSteps } from '../store/repositories/settlements.ts';
import { postAccountEntries } from './ledger-posting.ts';

/** What the accounts paid of a bill: acct_pay, acct_mulaid_pay, and the cash left (psn_cash_pay). */
export interface AccountPart {
  readonly acctPay: Fen;
  readonly acctMulaidPay: Fen;
  readonly cashPay: Fen;
  /** The patient's own account balance after the bill (the national interface's balc); null: no account; absent: not read. */
  readonly balance?: Fen | null;
  readonly payments: readonly { readonly holderId: number; readonly kind: 'own' | 'family'; readonly amount: Fen; readonly balanceAfter: Fen }[];
}

/** The explanation's step for an account payment (beside the funds' steps; not a fund). */
export interface AccountStep {
  readonly fund: 'personalAccount';
  readonly rule: 'account.own' | 'account.family';
  readonly base: Fen;
  readonly amount: Fen;
  readonly holderId: number;
  readonly note: string;
}

export interface AccountRequest {
  readonly acctUsedFlag?: boolean | undefined;
  readonly acctPayAmount?: Fen | undefined;
}

/** A bill's part the account may pay under the rules. */
export function payableOf(rules: PersonalAccountRules, s: Pick<Settlement, 'selfPay' | 'selfPayCompliant'>): Fen {
  return rules.payable === 'self_pay' ? s.selfPay : s.selfPayCompliant;
}

export function checkAccountRequest(request: AccountRequest): void {
  if (request.acctPayAmount !== undefined && request.acctUsedFlag !== true) {
    throw invalid('ACCOUNT_NOT_CHOSEN', 'acctPayAmount needs acctUsedFlag: true (the patient chooses to pay from the account)', 'acctPayAmount');
  }
}

/** The accounts that may pay a person's bill of a year, with their rules: own first, then shared, in link order. */
async function payingAccounts(
  tx: Queryable,
  policies: PolicyRegistry,
  patient: PersonRow,
  year: number,
): Promise<{ holderId: number; kind: 'own' | 'family'; rules: PersonalAccountRules }[]> {
  const out: { holderId: number; kind: 'own' | 'family'; rules: PersonalAccountRules }[] = [];
  const own = patient.scheme === 'employee' ? policies.forDivision(patient.division_code, year)?.personalAccount : null;
  if (own) out.push({ holderId: patient.id, kind: 'own', rules: own });
  for (const link of await sharingHolders(tx, patient.id)) {
    const holder = await findPersonById(tx, link.holder_id);
    if (!holder || holder.scheme !== 'employee') continue;
    const rules = policies.forDivision(holder.division_code, year)?.personalAccount;
    if (rules?.familySharing?.relations.includes(link.relation)) out.push({ holderId: holder.id, kind: 'family', rules });
  }
  return out;
}

/**
 * Pays the patient's part of a settled bill from the accounts, in the
 * caller's transaction (after the settlement row is written). Without a
 * named amount the accounts pay what they hold, up to the payable part, and
 * the rest is cash; with one, exactly that, or the bill is refused.
 */
export async function payFromAccounts(
  tx: Queryable,
  policies: PolicyRegistry,
  args: { settlementId: number; patient: PersonRow; year: number; settlement: Settlement; request: AccountRequest; actor: string; ref: string },
): Promise<{ part: AccountPart; steps: AccountStep[] }> {
  const { settlement } = args;
  const none = { part: { acctPay: 0, acctMulaidPay: 0, cashPay: settlement.selfPay, payments: [] }, steps: [] };
  if (args.request.acctUsedFlag !== true) return none;
  const accounts = await payingAccounts(tx, policies, args.patient, args.year);
  if (accounts.length === 0) {
    if (args.request.acctPayAmount !== undefined && args.request.acctPayAmount > 0) {
      throw invalid('NO_PERSONAL_ACCOUNT', 'the patient has no personal account and no shared account to pay from', 'acctPayAmount');
    }
    return none;
  }
  // The part the account may pay: by the rules of the first account that would pay (the patient's own when an employee).
  const payable = payableOf(accounts[0]!.rules, settlement);
  const locked = await lockAccounts(tx, accounts.map((a) => a.holderId));
  const paying: PayingAccount[] = accounts.map((a) => ({ holderId: a.holderId, kind: a.kind, balance: locked.get(a.holderId)?.balance_fen ?? 0 }));
  const allocation = allocateAccountPayment(payable, paying, args.request.acctPayAmount);
  const moves: Movement[] = allocation.payments.map((p) => ({
    personId: p.holderId, kind: 'spend', amount: p.amount, year: args.year, settlementId: args.settlementId,
    beneficiaryId: args.patient.id, rule: `account.${p.kind}`, ref: args.ref,
  }));
  await postAccountEntries(tx, await moveMoney(tx, moves, args.actor), args.actor);
  const steps: AccountStep[] = allocation.payments.map((p) => ({
    fund: 'personalAccount', rule: `account.${p.kind}`, base: payable, amount: p.amount, holderId: p.holderId,
    note: p.kind === 'own' ? 'acct_pay' : 'acct_mulaid_pay',
  }));
  if (steps.length > 0) {
    await storeSteps(tx, args.settlementId, [...settlement.steps, ...steps]);
  }
  const paid = allocation.own + allocation.family;
  const own = allocation.payments.find((p) => p.kind === 'own');
  const balance = accounts[0]!.kind === 'own' ? (own?.balanceAfter ?? locked.get(args.patient.id)?.balance_fen ?? 0) : null;
  return { part: { acctPay: allocation.own, acctMulaidPay: allocation.family, cashPay: settlement.selfPay - paid, balance, payments: allocation.payments }, steps };
}

/** What the accounts would pay of a bill now (pre-settlement, 预结算): the same choice, read only, nothing locked or written. */
export async function previewAccountPayment(
  q: Queryable,
  policies: PolicyRegistry,
  args: { patient: PersonRow; year: number; settlement: Settlement; request: AccountRequest },
): Promise<AccountPart> {
  const { settlement } = args;
  if (args.request.acctUsedFlag !== true) return { acctPay: 0, acctMulaidPay: 0, cashPay: settlement.selfPay, payments: [] };
  const accounts = await payingAccounts(q, policies, args.patient, args.year);
  if (accounts.length === 0) {
    if (args.request.acctPayAmount !== undefined && args.request.acctPayAmount > 0) {
      throw invalid('NO_PERSONAL_ACCOUNT', 'the patient has no personal account and no shared account to pay from', 'acctPayAmount');
    }
    return { acctPay: 0, acctMulaidPay: 0, cashPay: settlement.selfPay, payments: [] };
  }
  const paying: PayingAccount[] = [];
  for (const a of accounts) paying.push({ holderId: a.holderId, kind: a.kind, balance: (await findAccount(q, a.holderId))?.balance_fen ?? 0 });
  const allocation = allocateAccountPayment(payableOf(accounts[0]!.rules, settlement), paying, args.request.acctPayAmount);
  return { acctPay: allocation.own, acctMulaidPay: allocation.family, cashPay: settlement.selfPay - allocation.own - allocation.family, payments: allocation.payments };
}

/** What the accounts paid of a bill, net of what was given back (for replays and reads); with the patient, their balance now. */
export async function accountPartOf(q: Queryable, settlementId: number, selfPay: Fen, patient?: Pick<PersonRow, 'id' | 'scheme'>): Promise<AccountPart> {
  const spends = await spendsOfSettlement(q, settlementId);
  const net = (kind: 'own' | 'family') => spends.filter((s) => s.rule === `account.${kind}`).reduce((sum, s) => sum + s.amount_fen - s.restored_fen, 0);
  const acctPay = net('own');
  const acctMulaidPay = net('family');
  return {
    acctPay, acctMulaidPay, cashPay: selfPay - acctPay - acctMulaidPay,
    ...(patient ? { balance: await accountBalanceOf(q, patient) } : {}),
    payments: spends.map((s) => ({ holderId: s.person_id, kind: s.rule === 'account.own' ? 'own' : 'family', amount: s.amount_fen - s.restored_fen, balanceAfter: s.balance_after_fen })),
  };
}

export { netSpendsBySettlement };

/** The balance a hospital is told when it identifies an employee (national interface: balc); null for a resident, who has no account. */
export async function accountBalanceOf(q: Queryable, person: Pick<PersonRow, 'id' | 'scheme'>): Promise<Fen | null> {
  if (person.scheme !== 'employee') return null;
  return (await findAccount(q, person.id))?.balance_fen ?? 0;
}

/** Gives back everything the accounts still hold paid on a bill (its reversal). Returns the fen restored. */
export async function restoreAllSpends(tx: Queryable, settlementId: number, actor: string, ref: string): Promise<Fen> {
  const spends = (await spendsOfSettlement(tx, settlementId)).filter((s) => s.amount_fen > s.restored_fen);
  return restore(tx, spends.map((s) => ({ spend: s, amount: s.amount_fen - s.restored_fen })), 'restore.reversal', actor, ref);
}

/**
 * After a re-adjudication: a bill whose payable part is now below what the
 * accounts paid on it gets the excess back into the accounts (last paid, first
 * back). A bill whose part grew keeps its payment: more from the account is
 * the patient's choice at the desk, not the bureau's.
 */
export async function restoreExcessSpends(
  tx: Queryable,
  policies: PolicyRegistry,
  bills: readonly { id: number; settlement: Settlement; policyId: string }[],
  actor: string,
  ref: string,
): Promise<Fen> {
  let total = 0;
  const open = [];
  for (const bill of bills) {
    const spends = (await spendsOfSettlement(tx, bill.id)).filter((s) => s.amount_fen > s.restored_fen);
    if (spends.length > 0) open.push({ bill, spends });
  }
  // Every account these bills touch, locked at once in id order: never one bill's account, then an earlier id of the next bill's.
  await lockAccounts(tx, [...new Set(open.flatMap((o) => o.spends.map((s) => s.person_id)))].sort((a, b) => a - b));
  for (const { bill, spends } of open) {
    const holder = spends[0]!;
    const holderPerson = await findPersonById(tx, holder.person_id);
    const rules = holderPerson && policies.forDivision(holderPerson.division_code, holder.year)?.personalAccount;
    const payable = rules ? payableOf(rules, bill.settlement) : bill.settlement.selfPayCompliant;
    const back = excessToRestore(spends.map((s) => ({ id: s.id, amount: s.amount_fen - s.restored_fen })), payable);
    const byId = new Map(spends.map((s) => [s.id, s]));
    total += await restore(tx, back.map((b) => ({ spend: byId.get(b.id)!, amount: b.amount })), 'restore.readjudication', actor, ref);
  }
  return total;
}

async function restore(
  tx: Queryable,
  items: readonly { spend: { id: number; person_id: number; year: number; settlement_id: number | null; beneficiary_id: number | null }; amount: Fen }[],
  rule: string,
  actor: string,
  ref: string,
): Promise<Fen> {
  if (items.length === 0) return 0;
  await lockAccounts(tx, [...new Set(items.map((i) => i.spend.person_id))].sort((a, b) => a - b));
  const written = await moveMoney(tx, items.map((i) => ({
    personId: i.spend.person_id, kind: 'restore', amount: i.amount, year: i.spend.year, settlementId: i.spend.settlement_id,
    beneficiaryId: i.spend.beneficiary_id, spendId: i.spend.id, rule, ref,
  })), actor);
  await postAccountEntries(tx, written, actor);
  return items.reduce((s, i) => s + i.amount, 0);
}
