/**
 * Continuous enrolment for one person and year, from what the store holds:
 * the years not insured before it (for the waiting period), and the years
 * insured in a row and claim-free (for the rewards). The rules are the
 * policy's; the arithmetic is the pure domain's (domain/enrollment/cover.ts).
 */
import { continuityFrom, CONTINUITY_LOOK_BACK, decideCover, yearsToLookBack, type CoverDecision, type CoverExemption } from '../domain/enrollment/cover.ts';
import { unprocessable } from '../domain/errors.ts';
import type { Policy } from '../domain/policy/types.ts';
import type { Queryable } from '../store/db.ts';
import { enrolledYears, enrolledYearsWithClaims } from '../store/repositories/cover.ts';

/** Consecutive years before `year` without cover, not counting years before the rules apply or before the person was born. */
export async function yearsNotInsured(q: Queryable, policy: Policy, personId: number, year: number, birthDate: string): Promise<number> {
  const rules = policy.enrollment.collection;
  if (!rules) return 0;
  const floor = Math.max(year - yearsToLookBack(rules), rules.waiting.countYearsFrom ?? 0, Number(birthDate.slice(0, 4)));
  const enrolled = await enrolledYears(q, personId, floor, year - 1);
  let n = 0;
  for (let y = year - 1; y >= floor && !enrolled.has(y); y--) n += 1;
  return n;
}

/**
 * The cover a payment completing the enrollment gives: refused (nothing
 * written by the caller) when it would start only after the year ends.
 */
export async function coverForPayment(
  q: Queryable,
  policy: Policy,
  person: { id: number; birthDate: string },
  paidOn: string,
  exemption: CoverExemption | null,
): Promise<CoverDecision> {
  const rules = policy.enrollment.collection;
  if (rules && paidOn < rules.window.from) {
    throw unprocessable('WINDOW_NOT_OPEN', `the ${policy.year} collection window opens on ${rules.window.from}: a payment dated ${paidOn} is before it`, 'paidOn');
  }
  const decision: CoverDecision = rules
    ? decideCover(rules, { paidOn, exemption, birthDate: person.birthDate, yearsNotInsured: await yearsNotInsured(q, policy, person.id, policy.year, person.birthDate) })
    : { coverFrom: paidOn > policy.from ? paidOn : policy.from, reason: 'in_window', paidOn, waitingMonths: 0, fixedMonths: 0, variableMonths: 0, yearsNotInsured: 0, exemption: null };
  if (exemption !== null && rules && !rules.exempt.includes(exemption)) {
    throw unprocessable('NOT_EXEMPT', `policy ${policy.id} does not exempt "${exemption}" from the waiting period (it exempts: ${rules.exempt.join(', ') || 'no one'})`, 'exemption');
  }
  if (decision.coverFrom > policy.to) {
    const window = rules ? ` outside the collection window ${rules.window.from} to ${rules.window.to}` : '';
    throw unprocessable(
      'NO_COVER_LEFT',
      `paid on ${paidOn}${window}: with a waiting period of ${decision.waitingMonths} months cover would start on ${decision.coverFrom}, after ${policy.year} ends — nothing recorded`,
      'paidOn',
    );
  }
  return decision;
}

/** Years insured in a row up to and including `year`, and claim-free years in a row before it: what the rewards count. */
export async function continuityOf(q: Queryable, personId: number, year: number): Promise<{ yearsInsured: number; claimFreeYears: number }> {
  return continuityFrom(year, await enrolledYearsWithClaims(q, personId, year - CONTINUITY_LOOK_BACK, year));
}
