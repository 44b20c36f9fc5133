/**
 * A catalogue entry's restrictions (限定支付范围) against one bill: which are
 * not met. One place for the tests, so the settlement's line explanation and
 * claim review (智能审核) say the same thing about the same line.
 */
import type { HospitalLevel } from '../vocabulary.ts';
import { icdMatchesAny } from './icd10.ts';
import type { ItemRestrictions } from './items.ts';

/** A restriction the line does not meet, with what it requires and what the bill had. */
export type Unmet =
  | { readonly restriction: 'level'; readonly minLevel: HospitalLevel; readonly level: HospitalLevel }
  | { readonly restriction: 'sex'; readonly sex: 'M' | 'F' }
  | { readonly restriction: 'age'; readonly minAge: number | null; readonly maxAge: number | null; readonly age: number }
  | { readonly restriction: 'diagnosis'; readonly diagnoses: readonly string[]; readonly diagnosis: string | null }
  | { readonly restriction: 'quantity'; readonly allowed: number; readonly billed: number };

/** The patient and the visit a line is checked against; a fact left undefined is not checked. */
export interface LineContext {
  readonly level?: HospitalLevel | undefined;
  readonly sex?: 'M' | 'F' | undefined;
  readonly age?: number | undefined;
  /** The bill's diagnosis (ICD-10); null: none given. */
  readonly diagnosis?: string | null | undefined;
}

export function sexUnmet(r: ItemRestrictions | undefined, sex: 'M' | 'F'): boolean {
  return r?.sex !== undefined && r.sex !== sex;
}

export function ageUnmet(r: ItemRestrictions | undefined, age: number): boolean {
  return r !== undefined && ((r.minAge !== undefined && age < r.minAge) || (r.maxAge !== undefined && age > r.maxAge));
}

export function diagnosisUnmet(r: ItemRestrictions | undefined, diagnosis: string | null | undefined): boolean {
  return r !== undefined && r.diagnoses.length > 0 && !icdMatchesAny(r.diagnoses, diagnosis);
}

export function levelUnmet(r: ItemRestrictions | undefined, level: HospitalLevel): boolean {
  return r?.minLevel !== undefined && level < r.minLevel;
}

/** The line-by-line restrictions (not the quantity, which counts a code's lines together) the line does not meet. */
export function unmetRestrictions(r: ItemRestrictions | undefined, ctx: LineContext): Unmet[] {
  if (r === undefined) return [];
  const out: Unmet[] = [];
  if (ctx.level !== undefined && levelUnmet(r, ctx.level)) out.push({ restriction: 'level', minLevel: r.minLevel!, level: ctx.level });
  if (ctx.sex !== undefined && sexUnmet(r, ctx.sex)) out.push({ restriction: 'sex', sex: r.sex! });
  if (ctx.age !== undefined && ageUnmet(r, ctx.age)) out.push({ restriction: 'age', minAge: r.minAge ?? null, maxAge: r.maxAge ?? null, age: ctx.age });
  if (ctx.diagnosis !== undefined && diagnosisUnmet(r, ctx.diagnosis)) {
    out.push({ restriction: 'diagnosis', diagnoses: r.diagnoses, diagnosis: ctx.diagnosis ?? null });
  }
  return out;
}
