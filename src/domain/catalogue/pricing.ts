/**
 * An itemised bill priced against the catalogue, line by line (the payer's
 * 合规费用审核): the part above the price ceiling (超限价自费), then class C
 * in full (全自费) or class B's self-pay-first share (先行自付), and the
 * compliant remainder. The bill's compliant amount is the sum of the remainders.
 */
import { applyRatio, type Fen } from '../money.ts';
import type { Scheme } from '../vocabulary.ts';
import type { CatalogueItem, ItemClass, ItemKind } from './items.ts';

/** One fee line as the hospital sends it: quantity in the item's unit, prices in fen. */
export interface FeeLine {
  readonly code: string;
  readonly quantity: number;
  readonly unitPrice: Fen;
  readonly amount: Fen;
  readonly date: string;
  readonly department: string;
}

export interface PricedLine {
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly kind: ItemKind;
  readonly class: ItemClass;
  readonly quantity: number;
  readonly unitPrice: Fen;
  readonly amount: Fen;
  readonly date: string;
  readonly department: string;
  /** 超限价自费: (unit price − ceiling) × quantity when above the ceiling. */
  readonly aboveCap: Fen;
  /** 全自费: the whole of a class C line (after the part above the ceiling). */
  readonly excluded: Fen;
  /** 先行自付: class B's share for the scheme. */
  readonly selfPayFirst: Fen;
  readonly compliant: Fen;
  /** A stable identifier of the rule that split the line, e.g. "line.class_b". */
  readonly rule: string;
}

export interface PricedBill {
  readonly lines: readonly PricedLine[];
  readonly total: Fen;
  readonly compliant: Fen;
  readonly aboveCap: Fen;
  readonly excluded: Fen;
  readonly selfPayFirst: Fen;
}

/** Splits one line. The parts always add up to the line's amount. */
export function priceLine(item: CatalogueItem, line: FeeLine, index: number, scheme: Scheme): PricedLine {
  const capped = item.priceCap !== null && line.unitPrice > item.priceCap;
  const aboveCap = capped ? (line.unitPrice - item.priceCap!) * line.quantity : 0;
  const rest = line.amount - aboveCap;
  let excluded = 0;
  let selfPayFirst = 0;
  if (item.class === 'C') excluded = rest;
  else if (item.class === 'B') selfPayFirst = applyRatio(rest, item.selfPayFirst[scheme]);
  const compliant = rest - excluded - selfPayFirst;
  const rule = `line.class_${item.class.toLowerCase()}${capped ? '.above_cap' : ''}`;
  return {
    index,
    code: line.code,
    name: item.name,
    kind: item.kind,
    class: item.class,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    amount: line.amount,
    date: line.date,
    department: line.department,
    aboveCap,
    excluded,
    selfPayFirst,
    compliant,
    rule,
  };
}

/** Prices every line; `itemOf` gives the catalogue entry of each line (the caller refuses unknown codes first). */
export function priceBill(lines: readonly FeeLine[], itemOf: (line: FeeLine, index: number) => CatalogueItem, scheme: Scheme): PricedBill {
  const priced = lines.map((line, i) => priceLine(itemOf(line, i), line, i, scheme));
  const sum = (f: (l: PricedLine) => Fen) => priced.reduce((acc, l) => acc + f(l), 0);
  return {
    lines: priced,
    total: sum((l) => l.amount),
    compliant: sum((l) => l.compliant),
    aboveCap: sum((l) => l.aboveCap),
    excluded: sum((l) => l.excluded),
    selfPayFirst: sum((l) => l.selfPayFirst),
  };
}

/** Why a line's amount cannot be right: it must be quantity × unit price, to the fen. */
export function lineAmountProblem(line: FeeLine): string | null {
  if (line.quantity * line.unitPrice !== line.amount) {
    return `amount ${line.amount} is not quantity ${line.quantity} × unit price ${line.unitPrice}`;
  }
  return null;
}
