/**
 * One signature for every tier of the pipeline: what is still unpaid of the
 * compliant cost and the person's year-to-date in, a step (what the tier pays
 * and why) out. A tier adds its own payment to the accumulators it owns in
 * `ytd` — the engine's working copy of the year, never the caller's.
 */
import type { Fen } from '../../money.ts';
import type { Benefits, SchemeBenefits } from '../../policy/types.ts';
import type { EmploymentStatus, Identity } from '../../vocabulary.ts';
import type { SettlementPerson, Step, Visit, YearToDate } from '../types.ts';
import type { SupplementaryStage } from './supplementary.ts';

/** What a tier knows of the bill besides what is unpaid: the rules in force and the person on the visit date. */
export interface TierContext {
  /** The benefits in force on the bill's rule date (effective-dated). */
  readonly rules: Benefits;
  /** The person's scheme's benefits in that period. */
  readonly scheme: SchemeBenefits;
  readonly person: SettlementPerson;
  readonly status: EmploymentStatus;
  readonly visit: Visit;
  readonly identities: readonly Identity[];
  readonly compliant: Fen;
  /** The year's payments of each supplementary tier so far, by tier id, when the caller keeps them. */
  readonly supplementaryPaid: Readonly<Partial<Record<string, Fen>>> | undefined;
  /** The supplementary rule being run: set by the engine before each supplementary tier. */
  stage: SupplementaryStage | null;
  /** Set by the basic tier: compliant cost above its deductible that its caps left unpaid. */
  basicWithheld: Fen;
  /** Set by the assistance tier: what the caps withheld, payable only case by case (一事一议). */
  aboveCap: Fen;
  /** The raise of the critical-illness yearly cap the person earned by continuous, claim-free enrolment (0: none). */
  readonly criticalCapRaise: Fen;
}

export type Tier = (ctx: TierContext, unpaid: Fen, ytd: YearToDate) => Step;

/** A step while it is being built: optional fields are added in a fixed order, never spread. */
export type StepDraft = { -readonly [K in keyof Step]: Step[K] };
