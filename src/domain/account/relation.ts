/**
 * Whether two people of the household register are spouse, parent or child of
 * each other, from each one's relation to the head of the household (与户主关系).
 * Only what the register proves: a grandchild of the head may or may not be an
 * employee's child, so it proves nothing, and a link it cannot prove is refused.
 */
import type { Relation } from '../register/relations.ts';
import type { SharingRelation } from './rules.ts';

export interface RegisteredPerson {
  readonly id: number;
  readonly householdId: number | null;
  readonly relation: string | null;
}

/** What `other` is to `holder` (spouse, parent, child), or null when the register does not show it. */
export function relationBetween(holder: RegisteredPerson, other: RegisteredPerson): SharingRelation | null {
  if (holder.id === other.id || holder.householdId === null || holder.householdId !== other.householdId) return null;
  const a = holder.relation as Relation | null;
  const b = other.relation as Relation | null;
  if (a === 'head') {
    if (b === 'spouse') return 'spouse';
    if (b === 'child') return 'child';
    if (b === 'parent') return 'parent';
    return null;
  }
  if (b === 'head') {
    if (a === 'spouse') return 'spouse';
    if (a === 'child') return 'parent';
    if (a === 'parent') return 'child';
    return null;
  }
  // Neither is the head: the head's spouse is the parent of the head's children; the head's children's grandparents are not provable.
  if (a === 'spouse' && b === 'child') return 'child';
  if (a === 'child' && b === 'spouse') return 'parent';
  return null;
}
