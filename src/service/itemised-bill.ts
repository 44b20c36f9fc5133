/**
 * The bureau computes what of a bill is compliant (合规费用): each fee line is
 * matched against the catalogue in force on its date for the facility's
 * region and split into above-ceiling, class C, class B self-pay-first and
 * compliant parts. A bill without lines keeps the hospital's compliant amount,
 * marked unverified.
 */
import { itemisedBillStep, unverifiedBillStep, type BillFacts, type BillStep } from '../domain/catalogue/bill-step.ts';
import { priceBill, lineAmountProblem, type FeeLine, type PricedBill, type PricedLine } from '../domain/catalogue/pricing.ts';
import { resolveItem, type CatalogueItem } from '../domain/catalogue/items.ts';
import { regionReach } from '../domain/catalogue/table.ts';
import type { Amounts } from '../domain/engine/types.ts';
import { invalid } from '../domain/errors.ts';
import type { Scheme } from '../domain/vocabulary.ts';
import type { Queryable } from '../store/db.ts';
import { itemsByCodes } from '../store/repositories/catalogue-items.ts';
import { readBill, type StoredLine } from '../store/repositories/settlement-bills.ts';

export type Verification = 'itemised' | 'unverified';

export interface BillInput {
  readonly visit: { readonly date: string; readonly dischargeDate?: string | undefined };
  readonly amounts?: Amounts | undefined;
  readonly lines?: readonly FeeLine[] | undefined;
}

export interface PricedAmounts {
  /** What the engine settles: the bill's total and the compliant amount (computed, or as the hospital sent it). */
  readonly amounts: Amounts;
  readonly verification: Verification;
  readonly priced: PricedBill | null;
  /** The catalogue entry each line was priced with (claim review reads their restrictions). */
  readonly items: readonly CatalogueItem[];
}

/** The line explanation a settlement shows: one entry per fee line, with the rule that split it. */
export interface BillExplanation {
  readonly verification: Verification;
  readonly lines: readonly (Omit<PricedLine, 'kind'> & { readonly kind?: PricedLine['kind'] })[];
}

/**
 * Prices the bill's lines, or takes the hospital's amounts when it sent none.
 * Bad lines (amount ≠ quantity × unit price, a date outside the visit, a code
 * no catalogue holds on that date) are refused with the line's index; nothing is written.
 */
export async function priceBillLines(q: Queryable, divisionCode: string, scheme: Scheme, input: BillInput): Promise<PricedAmounts> {
  const lines = input.lines ?? [];
  if (lines.length === 0) {
    if (!input.amounts) throw invalid('INVALID_INPUT', 'body needs amounts {total, compliant} or fee lines', 'amounts');
    return { amounts: input.amounts, verification: 'unverified', priced: null, items: [] };
  }
  const last = input.visit.dischargeDate ?? null;
  lines.forEach((line, i) => {
    const problem = lineAmountProblem(line);
    if (problem) throw invalid('INVALID_LINE', `line ${i}: ${problem}`, `lines.${i}.amount`);
    if (line.date < input.visit.date || (last !== null && line.date > last)) {
      throw invalid('INVALID_LINE', `line ${i}: date ${line.date} is outside the visit (${input.visit.date}${last ? ` to ${last}` : ' onwards'})`, `lines.${i}.date`);
    }
  });
  const entries = await itemsByCodes(q, lines.map((l) => l.code));
  const items: CatalogueItem[] = lines.map((line, i) => {
    const item = resolveItem(entries, line.code, line.date, divisionCode, regionReach);
    if (!item) {
      throw invalid('UNKNOWN_ITEM', `line ${i}: code ${line.code} is in no catalogue in force on ${line.date} for this facility's region`, `lines.${i}.code`);
    }
    return item;
  });
  const priced = priceBill(lines, (_line, i) => items[i]!, scheme);
  if (input.amounts && input.amounts.total !== priced.total) {
    throw invalid('AMOUNTS_MISMATCH', `amounts.total ${input.amounts.total} is not the sum of the lines ${priced.total}`, 'amounts.total');
  }
  return { amounts: { total: priced.total, compliant: priced.compliant }, verification: 'itemised', priced, items };
}

/** The settlement's step telling how its compliant amount came about: line by line, or as the hospital declared it. */
export function billStep(p: PricedAmounts, facts: BillFacts): BillStep {
  return p.priced ? itemisedBillStep(p.priced, p.items, facts) : unverifiedBillStep(p.amounts.total, p.amounts.compliant);
}

export function explainBill(p: PricedAmounts): BillExplanation {
  return { verification: p.verification, lines: p.priced?.lines ?? [] };
}

/** The stored line explanation of a settlement (settlements from before itemised bills read as unverified). */
export async function billOfSettlement(q: Queryable, settlementId: number): Promise<{ verification: Verification; lines: StoredLine[] }> {
  const stored = await readBill(q, settlementId);
  return { verification: stored?.bill.verification ?? 'unverified', lines: stored?.lines ?? [] };
}
