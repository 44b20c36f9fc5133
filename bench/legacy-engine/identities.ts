import type { BasisPoints } from '../../src/domain/money.ts';
import type { Identity } from '../../src/domain/vocabulary.ts';
import type { IdentitySpan } from '../../src/domain/engine/types.ts';

/** The identities valid on a date (ISO strings compare as dates). */
export function identitiesOn(identities: readonly (Identity | IdentitySpan)[], date: string): Identity[] {
  const out: Identity[] = [];
  for (const entry of identities) {
    if (typeof entry === 'string') {
      if (!out.includes(entry)) out.push(entry);
      continue;
    }
    if (entry.from && date < entry.from) continue;
    if (entry.to && date > entry.to) continue;
    if (!out.includes(entry.identity)) out.push(entry.identity);
  }
  return out;
}

/** The most favourable ratio among the person's identities (never a sum), with the identity giving it. */
export function bestRatio(
  identities: readonly Identity[],
  ratios: Readonly<Partial<Record<Identity, BasisPoints>>>,
): { identity: Identity; ratio: BasisPoints } | null {
  let best: { identity: Identity; ratio: BasisPoints } | null = null;
  for (const identity of identities) {
    const ratio = ratios[identity];
    if (ratio !== undefined && (best === null || ratio > best.ratio)) best = { identity, ratio };
  }
  return best;
}

export function holdsAny(identities: readonly Identity[], wanted: readonly Identity[]): Identity | null {
  for (const identity of identities) if (wanted.includes(identity)) return identity;
  return null;
}
