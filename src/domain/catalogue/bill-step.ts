/**
 * The first question of every settlement — how much of the bill is compliant
 * (合规费用) — answered as a step beside the funds' steps: for an itemised
 * bill, line by line (code, name, quantity × unit price, class, what the
 * patient pays and why, any restriction the line does not meet), adding up to
 * the compliant amount; for a bill without lines, "unverified: as declared by
 * the hospital". Identical lines (one code at one price) are told once with
 * their count, and a long bill keeps its most telling groups and sums the
 * rest, so the step stays small for a bill of 500 lines.
 */
import type { BasisPoints, Fen } from '../money.ts';
import { quantityExcesses } from '../review/bill-rules.ts';
import { ageOn } from '../review/facts.ts';
import type { HospitalLevel, Scheme, VisitKind } from '../vocabulary.ts';
import type { CatalogueItem, ItemClass } from './items.ts';
import type { PricedBill, PricedLine } from './pricing.ts';
import { unmetRestrictions, type Unmet } from './restrictions.ts';

/** The pseudo-fund of the bill's step: not money paid, the compliant amount the funds then share. */
export const BILL_STEP_FUND = 'bill';

/** Fee lines of one code at one unit price (and one pricing rule), told together. */
export interface LineGroup {
  readonly code: string;
  readonly name: string;
  readonly class: ItemClass;
  /** How many fee lines, and the index of the first. */
  readonly lines: number;
  readonly first: number;
  readonly quantity: number;
  readonly unitPrice: Fen;
  readonly amount: Fen;
  /** 超限价自费 (above `priceCap`), 全自费 (class C), 先行自付 (class B at `selfPayFirstRatio`), and the compliant rest. */
  readonly aboveCap: Fen;
  readonly excluded: Fen;
  readonly selfPayFirst: Fen;
  readonly compliant: Fen;
  readonly rule: string;
  readonly priceCap?: Fen;
  readonly selfPayFirstRatio?: BasisPoints;
  /** Restrictions not met: the funds pay the line as priced, and claim review takes it up with the hospital. */
  readonly unmet?: readonly Unmet[];
}

/** The groups a long bill does not list one by one, summed. */
export interface OtherLines {
  readonly groups: number;
  readonly lines: number;
  readonly amount: Fen;
  readonly aboveCap: Fen;
  readonly excluded: Fen;
  readonly selfPayFirst: Fen;
  readonly compliant: Fen;
}

/** base: the bill's total; amount: its compliant amount (the sum of the lines' compliant parts). */
export interface BillStep {
  readonly fund: typeof BILL_STEP_FUND;
  readonly rule: 'bill.itemised' | 'bill.unverified';
  readonly base: Fen;
  readonly amount: Fen;
  /** Itemised: the number of fee lines, their groups, and the groups not listed. */
  readonly lineCount?: number;
  readonly groups?: readonly LineGroup[];
  readonly others?: OtherLines;
  readonly note?: string;
}

/** At most this many groups are listed; the others are summed. */
export const MAX_LINE_GROUPS = 40;

/** What a bill's lines are checked against besides the catalogue. */
export interface BillFacts {
  readonly scheme: Scheme;
  readonly kind: VisitKind;
  readonly level: HospitalLevel;
  readonly sex?: 'M' | 'F' | undefined;
  readonly birthDate?: string | undefined;
  readonly diagnosis?: string | null | undefined;
  /** The visit (admission) date and the discharge date, for a stay's quantity limits. */
  readonly admission: string;
  readonly discharge?: string | null | undefined;
}

/** A bill without lines: its compliant amount is the hospital's word. */
export function unverifiedBillStep(total: Fen, compliant: Fen): BillStep {
  return { fund: BILL_STEP_FUND, base: total, rule: 'bill.unverified', amount: compliant, note: 'compliant amount as declared by the hospital' };
}

/** The itemised bill's step; `items[i]` is the catalogue entry line i was priced with. */
export function itemisedBillStep(bill: PricedBill, items: readonly CatalogueItem[], facts: BillFacts): BillStep {
  const unmetByLine = lineUnmet(bill.lines, items, facts);
  const groups = new Map<string, { g: Mutable<LineGroup>; unmet: Map<string, Unmet> }>();
  bill.lines.forEach((l, i) => {
    const key = `${l.code}\u0000${l.unitPrice}\u0000${l.rule}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = { g: newGroup(l, items[i]!, facts.scheme), unmet: new Map() };
      groups.set(key, entry);
    } else addLine(entry.g, l);
    for (const u of unmetByLine[i] ?? []) entry.unmet.set(u.restriction, u);
  });
  const all = [...groups.values()].map(({ g, unmet }) => (unmet.size > 0 ? { ...g, unmet: [...unmet.values()] } : (g as LineGroup)));
  const { listed, others } = bound(all);
  return {
    fund: BILL_STEP_FUND, base: bill.total, rule: 'bill.itemised', amount: bill.compliant, lineCount: bill.lines.length, groups: listed,
    ...(others ? { others } : {}),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function newGroup(l: PricedLine, item: CatalogueItem, scheme: Scheme): Mutable<LineGroup> {
  const g: Mutable<LineGroup> = {
    code: l.code, name: l.name, class: l.class, lines: 1, first: l.index, quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount,
    aboveCap: l.aboveCap, excluded: l.excluded, selfPayFirst: l.selfPayFirst, compliant: l.compliant, rule: l.rule,
  };
  if (l.aboveCap > 0 && item.priceCap !== null) g.priceCap = item.priceCap;
  if (l.class === 'B') g.selfPayFirstRatio = item.selfPayFirst[scheme];
  return g;
}

function addLine(g: Mutable<LineGroup>, l: PricedLine): void {
  g.lines += 1;
  g.quantity += l.quantity;
  g.amount += l.amount;
  g.aboveCap += l.aboveCap;
  g.excluded += l.excluded;
  g.selfPayFirst += l.selfPayFirst;
  g.compliant += l.compliant;
}

/** Each line's unmet restrictions: the line's own (level, sex, age, diagnosis) and its code's quantity limit (on the code's lines). */
function lineUnmet(lines: readonly PricedLine[], items: readonly CatalogueItem[], facts: BillFacts): Unmet[][] {
  const out = lines.map((l, i) =>
    unmetRestrictions(items[i]!.restrictions, {
      level: facts.level,
      sex: facts.sex,
      age: facts.birthDate !== undefined ? ageOn(facts.birthDate, l.date) : undefined,
      diagnosis: facts.diagnosis ?? null,
    }),
  );
  const excesses = quantityExcesses({
    kind: facts.kind, admission: facts.admission, discharge: facts.discharge ?? null,
    lines: lines.map((l, i) => ({ ...l, restrictions: items[i]!.restrictions })),
  });
  for (const x of excesses) {
    lines.forEach((l, i) => {
      if (l.code === x.code) out[i]!.push({ restriction: 'quantity', allowed: x.allowed, billed: x.billed });
    });
  }
  return out;
}

const selfPayOf = (g: LineGroup) => g.amount - g.compliant;

/**
 * Keeps at most MAX_LINE_GROUPS groups: first those the patient pays part of
 * or that miss a restriction (most self-pay first), then the largest; the
 * rest are summed. The listed groups keep the bill's order.
 */
function bound(all: LineGroup[]): { listed: LineGroup[]; others: OtherLines | null } {
  if (all.length <= MAX_LINE_GROUPS) return { listed: all, others: null };
  const telling = (g: LineGroup) => selfPayOf(g) > 0 || (g.unmet?.length ?? 0) > 0;
  const ranked = [...all].sort((a, b) => Number(telling(b)) - Number(telling(a)) || selfPayOf(b) - selfPayOf(a) || b.amount - a.amount || a.first - b.first);
  const keep = new Set(ranked.slice(0, MAX_LINE_GROUPS - 1));
  const listed = all.filter((g) => keep.has(g));
  const rest = all.filter((g) => !keep.has(g));
  const sum = (f: (g: LineGroup) => number) => rest.reduce((acc, g) => acc + f(g), 0);
  return {
    listed,
    others: {
      groups: rest.length, lines: sum((g) => g.lines), amount: sum((g) => g.amount), aboveCap: sum((g) => g.aboveCap),
      excluded: sum((g) => g.excluded), selfPayFirst: sum((g) => g.selfPayFirst), compliant: sum((g) => g.compliant),
    },
  };
}

/** The bill's step among a settlement's steps, if it has one. */
export function billStepOf(steps: readonly { readonly fund: string }[] | null | undefined): BillStep | undefined {
  return steps?.find((s) => s.fund === BILL_STEP_FUND) as BillStep | undefined;
}
