/**
 * The employee personal account (职工医保个人账户) as policy data: how much
 * goes in each month and what it may pay. An optional section of a policy file
 * (`personalAccount:`), validated when the policy is loaded; a policy without
 * it has no personal accounts (the resident scheme has none).
 */
import { z } from 'zod';
import { percentField, yuanField } from '../policy/money-fields.ts';
import type { BasisPoints, Fen } from '../money.ts';

/** What of a bill the account may pay: the compliant part left to the patient (national rule), or everything the patient pays. */
export const ACCOUNT_PAYABLE = ['self_pay_compliant', 'self_pay'] as const;
export type AccountPayable = (typeof ACCOUNT_PAYABLE)[number];

/** The relatives an employee may share the account with (家庭共济: spouse, parents, children). */
export const SHARING_RELATIONS = ['spouse', 'parent', 'child'] as const;
export type SharingRelation = (typeof SHARING_RELATIONS)[number];

/** The largest monthly credit a policy may set: guards against a base written in fen or a share written as a whole. */
export const MAX_MONTHLY_CREDIT: Fen = 1_000_000; // 10,000 yuan

export interface PersonalAccountRules {
  /** In service: this share of the monthly contribution base (2 % since the 2021 reform: the employee's own contribution). */
  readonly inServiceShare: BasisPoints;
  /** Retired: a fixed amount a month. */
  readonly retiredMonthly: Fen;
  readonly payable: AccountPayable;
  readonly familySharing: { readonly relations: readonly SharingRelation[] } | null;
}

const yuan = yuanField;
const percent = percentField;

/**
 * `personalAccount: { inService: { share: "2%" }, retired: { monthly: 90 }, payable: self_pay_compliant,
 * familySharing: { relations: [spouse, parent, child] } }`.
 */
export const personalAccountSchema = z.strictObject({
  inService: z.strictObject({
    share: percent.refine((bp) => bp > 0 && bp <= 1_000, 'a share of the contribution base above 0% and at most 10%'),
  }),
  retired: z.strictObject({
    monthly: yuan.refine((fen) => fen > 0 && fen <= MAX_MONTHLY_CREDIT, 'a monthly amount above 0 and at most 10000 yuan'),
  }),
  payable: z.enum(ACCOUNT_PAYABLE).default('self_pay_compliant'),
  familySharing: z
    .strictObject({ relations: z.array(z.enum(SHARING_RELATIONS)).min(1).refine((r) => new Set(r).size === r.length, 'a relation is listed twice') })
    .optional(),
});
export type PersonalAccountSection = z.output<typeof personalAccountSchema>;

export function compilePersonalAccount(section: PersonalAccountSection | undefined): PersonalAccountRules | null {
  if (!section) return null;
  return {
    inServiceShare: section.inService.share,
    retiredMonthly: section.retired.monthly,
    payable: section.payable,
    familySharing: section.familySharing ? { relations: section.familySharing.relations } : null,
  };
}
