/**
 * Clearing terms of a policy (issue 14): the quality deposit withheld from
 * each monthly clearing of a hospital (质量保证金, a percentage), each
 * hospital's yearly budget (总额预算) when the bureau sets one, and each
 * fund's yearly budget for the fund warning (基金预警). An optional section of
 * a policy file, validated when the policy loads; without it nothing is
 * withheld and no budget applies.
 */
import { z } from 'zod';
import { isLedgerFund } from '../ledger/accounts.ts';
import { MoneyError, parsePercent, parseYuan, type BasisPoints, type Fen } from '../money.ts';

export interface ClearingTerms {
  /** Share of each month's net payment withheld until the year-end assessment, basis points. */
  readonly qualityDeposit: BasisPoints;
  /** Yearly budget per hospital (by facility code), fen. */
  readonly facilityBudgets: ReadonlyMap<string, Fen>;
  /** Yearly spending budget per fund, fen. */
  readonly fundBudgets: ReadonlyMap<string, Fen>;
}

export const NO_CLEARING_TERMS: ClearingTerms = { qualityDeposit: 0, facilityBudgets: new Map(), fundBudgets: new Map() };

const money = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    const fen = parseYuan(value);
    if (fen === 0) throw new MoneyError('a budget must be above zero');
    return fen;
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});

const share = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    const bp = parsePercent(value);
    if (bp > 3000) throw new MoneyError(`a quality deposit of ${value} is above the 30% a clearing may withhold`);
    return bp;
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});

/** `clearing: { qualityDeposit: "5%", facilityBudgets: { H1: "12000000" }, fundBudgets: { basic: "300000000" } }` */
export const clearingSchema = z.strictObject({
  qualityDeposit: share.optional(),
  facilityBudgets: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a facility code'), money).optional(),
  fundBudgets: z
    .record(z.string().refine(isLedgerFund, 'a fund of the ledger (basic, critical, assistance, tilt, supplementary[.tier], personal_account)'), money)
    .optional(),
});
export type ClearingSection = z.output<typeof clearingSchema>;

export function compileClearingTerms(section: ClearingSection | undefined): ClearingTerms {
  if (!section) return NO_CLEARING_TERMS;
  return {
    qualityDeposit: section.qualityDeposit ?? 0,
    facilityBudgets: new Map(Object.entries(section.facilityBudgets ?? {})),
    fundBudgets: new Map(Object.entries(section.fundBudgets ?? {})),
  };
}
