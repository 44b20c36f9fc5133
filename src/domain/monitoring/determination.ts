/**
 * What a department reports back about a case (SPEC §3.3): assistance on
 * application (依申请救助) with its amount, temporary assistance (临时救助),
 * inclusion as extreme_poverty or minimum_living, identification as a
 * sudden_hardship household, or "not needed" with the reason.
 */
import type { Fen } from '../money.ts';

export const DETERMINATION_KINDS = ['assistance_on_application', 'temporary_assistance', 'included', 'sudden_hardship', 'not_needed'] as const;
export type DeterminationKind = (typeof DETERMINATION_KINDS)[number];

/** The identities a determination can include a person in. */
export const INCLUSION_IDENTITIES = ['extreme_poverty', 'minimum_living'] as const;
export type InclusionIdentity = (typeof INCLUSION_IDENTITIES)[number];

export type Determination =
  | { readonly kind: 'assistance_on_application'; readonly applicationId: number; readonly amount: Fen; readonly note?: string | undefined }
  | { readonly kind: 'temporary_assistance'; readonly amount: Fen; readonly note?: string | undefined }
  | { readonly kind: 'included'; readonly identity: InclusionIdentity; readonly note?: string | undefined }
  | { readonly kind: 'sudden_hardship'; readonly note?: string | undefined }
  | { readonly kind: 'not_needed'; readonly reason: string; readonly assessment?: unknown };

/** A determination confirms the risk unless it says no help is needed (Haixi's "confirmed" count). */
export function confirms(d: Pick<Determination, 'kind'>): boolean {
  return d.kind !== 'not_needed';
}
