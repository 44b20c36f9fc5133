import type { BasisPoints } from '../money.ts';
import type { Identity } from '../vocabulary.ts';
import type { IdentitySpan } from './types.ts';

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
  const at = bestRatioAt(identities, ratios);
  return at < 0 ? null : { identity: identities[at]!, ratio: ratios[identities[at]!]! };
}

/**
 * Where in `identities` the most favourable ratio is (the first of equals), or -1 when none has one.
 * The engine's tiers use this form: an index allocates nothing on the hot path.
 */
export function bestRatioAt(identities: readonly Identity[], ratios: Readonly<Partial<Record<Identity, BasisPoints>>>): number {
  let at = -1;
  let best = -1;
  for (let i = 0; i < identities.length; i++) {
    const ratio = ratios[identities[i]!];
    if (ratio !== undefined && ratio > best) {
      best = ratio;
      at = i;
    }
  }
  return at;
}

export function holdsAny(identities: readonly Identity[], wanted: readonly Identity[]): Identity | null {
  for (let i = 0; i < identities.length; i++) {
    const identity = identities[i]!;
    for (let j = 0; j < wanted.length; j++) if (wanted[j] === identity) return identity;
  }
  return null;
}
