/**
 * Coverage: a person's enrollment for a year — the scheme, the policy and
 * contribution tier, the year as its period, the individual contribution and
 * the subsidy (资助参保) that paid the rest, with its identity and department.
 */
import type { EnrollmentRow } from '../../store/repositories/enrollments.ts';
import type { PersonRow } from '../../store/repositories/persons.ts';
import { EXTENSION, sanbaoConcept, SYSTEM } from './code-systems.ts';
import { fenToMoney } from './money.ts';
import { patientReference, type Json } from './reference.ts';

const STATUS: Record<EnrollmentRow['status'], string> = { enrolled: 'active', pending: 'draft', cancelled: 'cancelled' };

export const coverageId = (personId: number, year: number): string => `${personId}-${year}`;

export function coverageOf(person: Pick<PersonRow, 'id' | 'id_number' | 'name'>, e: EnrollmentRow, insurer: Json): Json {
  const year = Number(e.year);
  const subsidy = Number(e.subsidy_fen);
  return {
    resourceType: 'Coverage',
    id: coverageId(person.id, year),
    ...(subsidy > 0 || e.subsidy_identity
      ? {
          extension: [
            {
              url: EXTENSION.subsidy,
              extension: [
                { url: 'amount', valueMoney: fenToMoney(subsidy) },
                ...(e.subsidy_kind ? [{ url: 'kind', valueCode: e.subsidy_kind }] : []),
                ...(e.subsidy_identity ? [{ url: 'identity', valueCoding: { system: SYSTEM.identity, code: e.subsidy_identity } }] : []),
                ...(e.subsidy_department ? [{ url: 'department', valueCode: e.subsidy_department }] : []),
              ],
            },
          ],
        }
      : {}),
    status: STATUS[e.status] ?? 'draft',
    type: sanbaoConcept(SYSTEM.scheme, e.scheme),
    beneficiary: patientReference(person),
    relationship: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'self' }] },
    period: { start: `${year}-01-01`, end: `${year}-12-31` },
    payor: [insurer],
    class: [
      { type: { coding: [{ system: SYSTEM.coverageClass, code: 'plan' }] }, value: e.policy_id },
      { type: { coding: [{ system: SYSTEM.coverageClass, code: 'class' }] }, value: e.tier, name: 'contribution tier (缴费档次)' },
    ],
    costToBeneficiary: [
      {
        type: { text: 'individual contribution (个人缴费)' },
        valueMoney: fenToMoney(Number(e.individual_fen)),
        ...(e.subsidy_identity
          ? { exception: [{ type: sanbaoConcept(SYSTEM.identity, e.subsidy_identity), period: { start: `${year}-01-01`, end: `${year}-12-31` } }] }
          : {}),
      },
      { type: { text: 'contribution (缴费标准)' }, valueMoney: fenToMoney(Number(e.contribution_fen)) },
    ],
  };
}
