/**
 * The medical-insurance item catalogues (医保药品目录, 医疗服务项目, 医用耗材) as
 * data: one list per region with validity dates. An entry's class decides
 * what the funds may pay: 甲 (A) all, 乙 (B) after the patient's self-pay-first
 * share (先行自付, by scheme), 丙 (C) nothing; a price ceiling (限价) leaves
 * what is above it to the patient.
 */
import type { BasisPoints, Fen } from '../money.ts';
import type { HospitalLevel, Scheme } from '../vocabulary.ts';

export const ITEM_KINDS = ['western_drug', 'patent_drug', 'herbal_pieces', 'service', 'consumable'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const ITEM_CLASSES = ['A', 'B', 'C'] as const;
export type ItemClass = (typeof ITEM_CLASSES)[number];

/** Chinese names of kinds and classes as the national and provincial lists print them. */
export const KIND_ALIASES: Readonly<Record<string, ItemKind>> = {
  西药: 'western_drug',
  中成药: 'patent_drug',
  中药饮片: 'herbal_pieces',
  医疗服务项目: 'service',
  诊疗项目: 'service',
  医疗服务: 'service',
  医用耗材: 'consumable',
  耗材: 'consumable',
};
export const CLASS_ALIASES: Readonly<Record<string, ItemClass>> = { 甲: 'A', 乙: 'B', 丙: 'C', 甲类: 'A', 乙类: 'B', 丙类: 'C' };

export interface ItemRestrictions {
  /** Lowest hospital level that may bill it (e.g. 2: secondary hospitals and above). */
  readonly minLevel?: HospitalLevel | undefined;
  readonly minAge?: number | undefined;
  readonly maxAge?: number | undefined;
  readonly sex?: 'M' | 'F' | undefined;
  /** Qualifying diagnoses: ICD-10 codes or prefixes (限定支付范围); empty: any. */
  readonly diagnoses: readonly string[];
  readonly maxPerDay?: number | undefined;
  readonly maxPerStay?: number | undefined;
}

export interface CatalogueItem {
  /** 'national', or a 6-digit province/prefecture/county code for its additions. */
  readonly region: string;
  /** 医保编码: the national medical-insurance code. */
  readonly code: string;
  readonly name: string;
  readonly kind: ItemKind;
  readonly class: ItemClass;
  /** Class B only: the share the patient pays first, by scheme. */
  readonly selfPayFirst: Readonly<Record<Scheme, BasisPoints>>;
  /** Highest unit price the funds recognise, in fen; null: no ceiling. */
  readonly priceCap: Fen | null;
  readonly unit: string;
  readonly restrictions: ItemRestrictions;
  readonly validFrom: string;
  readonly validTo: string | null;
}

export function validOn(entry: { validFrom: string; validTo: string | null }, date: string): boolean {
  return entry.validFrom <= date && (entry.validTo === null || entry.validTo >= date);
}

/**
 * The entry that applies to a code on a date for a facility's division: the
 * most specific region covering the division wins (a province's own entry
 * replaces the national one).
 */
export function resolveItem(
  entries: readonly CatalogueItem[],
  code: string,
  date: string,
  divisionCode: string,
  reach: (region: string, division: string) => number,
): CatalogueItem | undefined {
  let best: CatalogueItem | undefined;
  let bestReach = -1;
  for (const e of entries) {
    if (e.code !== code || !validOn(e, date)) continue;
    const r = reach(e.region, divisionCode);
    if (r > bestReach) {
      best = e;
      bestReach = r;
    }
  }
  return best;
}
