/**
 * A person's year, bill by bill, in order: each bill settled with the year so
 * far that the bills before it left (accumulators and each supplementary
 * tier's payments), as settlement and any recomputation of the year (after a
 * reversal, at year end) must do. Pure; the same tiers as settle().
 */
import type { Fen } from '../money.ts';
import type { Policy } from '../policy/types.ts';
import { settle, yearToDateOf } from './settle.ts';
import { supplementaryByTier, type Amounts, type Settlement, type SettlementPerson, type Visit, type YearToDate } from './types.ts';

export interface YearBill {
  readonly person: SettlementPerson;
  readonly visit: Visit;
  readonly amounts: Amounts;
}

export interface SettledYear {
  readonly settlements: readonly Settlement[];
  /** The accumulators after the last bill (the start's when there is none). */
  readonly yearToDate: YearToDate;
  /** Each supplementary tier's payments over the year, by tier id, the start's included. */
  readonly supplementaryYearToDate: Readonly<Record<string, Fen>>;
}

/** Settles a year's bills in the order given, starting from `start` (an empty year by default). */
export function settleYear(
  policy: Policy,
  bills: readonly YearBill[],
  start: { yearToDate?: Partial<YearToDate>; supplementaryYearToDate?: Readonly<Partial<Record<string, Fen>>> } = {},
): SettledYear {
  const supplementary: Record<string, Fen> = {};
  for (const [id, paid] of Object.entries(start.supplementaryYearToDate ?? {})) if (paid !== undefined) supplementary[id] = paid;
  let yearToDate: Partial<YearToDate> | undefined = start.yearToDate;
  const settlements: Settlement[] = [];
  for (const bill of bills) {
    const s = settle(policy, { ...bill, yearToDate, supplementaryYearToDate: supplementary });
    for (const [id, paid] of Object.entries(supplementaryByTier(s))) supplementary[id] = (supplementary[id] ?? 0) + paid;
    settlements.push(s);
    yearToDate = s.yearToDate;
  }
  const last = settlements[settlements.length - 1];
  return {
    settlements,
    yearToDate: last ? last.yearToDate : yearToDateOf(start.yearToDate),
    supplementaryYearToDate: supplementary,
  };
}
