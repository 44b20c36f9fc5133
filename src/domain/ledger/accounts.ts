/**
 * The ledger's chart of accounts, as data: every fund the bureau keeps books
 * for, and the kinds of account each fund has. Adding a fund is one line in
 * LEDGER_FUNDS; a supplementary tier is a sub-fund `supplementary.<tier>`,
 * named by the policy that defines it.
 */

/** The funds with their own books (SPEC §2). */
export const LEDGER_FUNDS = [
  { id: 'basic', zh: '基本医保统筹基金' },
  { id: 'critical', zh: '大病保险' },
  { id: 'assistance', zh: '医疗救助' },
  { id: 'tilt', zh: '倾斜保障' },
  { id: 'supplementary', zh: '补充保险' },
  { id: 'personal_account', zh: '职工个人账户' },
] as const;
export type LedgerFundRoot = (typeof LEDGER_FUNDS)[number]['id'];

/** Kinds of account each fund has; the sign of a balance is debit-positive. */
export const ACCOUNT_KINDS = {
  bank: { type: 'asset', zh: '基金专户存款' },
  payable_facility: { type: 'liability', zh: '应付定点医药机构' },
  payable_resident: { type: 'liability', zh: '应付参保人(救助)' },
  deposit_held: { type: 'liability', zh: '暂扣质量保证金' },
  benefit: { type: 'expense', zh: '待遇支出' },
  subsidy_paid: { type: 'expense', zh: '资助参保支出' },
  contribution: { type: 'income', zh: '个人缴费收入' },
  subsidy: { type: 'income', zh: '资助参保收入' },
  finance: { type: 'income', zh: '财政补助收入' },
  transfer_in: { type: 'income', zh: '转移收入' },
} as const;
export type AccountKind = keyof typeof ACCOUNT_KINDS;
export const ACCOUNT_KIND_IDS = Object.keys(ACCOUNT_KINDS) as AccountKind[];

/** A fund of the ledger: a root, or a supplementary tier `supplementary.<tier>`. */
export type LedgerFund = string & { readonly __ledgerFund?: true };

const TIER_PATTERN = /^[a-z0-9_]{1,40}$/;

export function isLedgerFund(value: string): value is LedgerFund {
  const [root, tier, ...more] = value.split('.');
  if (more.length > 0 || !LEDGER_FUNDS.some((f) => f.id === root)) return false;
  return tier === undefined || (root === 'supplementary' && TIER_PATTERN.test(tier));
}

/** The root fund of a ledger fund (supplementary.county_mutual_aid → supplementary). */
export function rootOf(fund: LedgerFund): LedgerFundRoot {
  return fund.split('.')[0] as LedgerFundRoot;
}

/** An account code: `<fund>:<kind>`, e.g. `basic:benefit`, `supplementary.county_mutual_aid:payable_facility`. */
export type AccountCode = `${string}:${AccountKind}`;

export function account(fund: LedgerFund, kind: AccountKind): AccountCode {
  if (!isLedgerFund(fund)) throw new Error(`unknown ledger fund ${fund}`);
  return `${fund}:${kind}`;
}

export function parseAccount(code: string): { fund: LedgerFund; kind: AccountKind } | undefined {
  const i = code.lastIndexOf(':');
  if (i < 0) return undefined;
  const fund = code.slice(0, i);
  const kind = code.slice(i + 1);
  if (!isLedgerFund(fund) || !(kind in ACCOUNT_KINDS)) return undefined;
  return { fund, kind: kind as AccountKind };
}
