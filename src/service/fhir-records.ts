/**
 * What the FHIR façade reads, scoped to who asks: a person's enrollment for a
 * year, their settlements (with adjustments), one settlement of a facility.
 * Writes go through the settlement service like the hospital API's.
 */
import { notFound } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { findEnrollment, listEnrollmentsOfPerson, type EnrollmentRow } from '../store/repositories/enrollments.ts';
import { findPersonById, type PersonRow } from '../store/repositories/persons.ts';
import { countSettlements, findSettlementById, listSettlements, type SettlementRow } from '../store/repositories/settlements.ts';
import { withAdjustments, type AdjustedSettlement } from './adjusted-settlements.ts';

export async function personOrThrow(q: Queryable, personId: number, field: string): Promise<PersonRow> {
  const person = Number.isSafeInteger(personId) && personId > 0 ? await findPersonById(q, personId) : undefined;
  if (!person) throw notFound('UNKNOWN_PERSON', `no person ${personId}`, field);
  return person;
}

export async function enrollmentOrThrow(q: Queryable, person: PersonRow, year: number): Promise<EnrollmentRow> {
  const enrollment = await findEnrollment(q, person.id, year);
  if (!enrollment) throw notFound('UNKNOWN_COVERAGE', `no enrollment of person ${person.id} for ${year}`, 'Coverage.id');
  return enrollment;
}

/** Every enrollment of a person, newest year first. */
export async function enrollmentsOf(q: Queryable, person: PersonRow): Promise<EnrollmentRow[]> {
  return listEnrollmentsOfPerson(q, person.id);
}

/** A page of a person's settlements, newest first, as they stand after adjustments, with how many there are. */
export async function personSettlements(
  q: Queryable,
  personId: number,
  page: { limit: number; offset: number },
): Promise<{ rows: AdjustedSettlement[]; total: number }> {
  const [rows, total] = await Promise.all([listSettlements(q, { personId, limit: page.limit, offset: page.offset }), countSettlements(q, { personId })]);
  return { rows: await withAdjustments(q, rows), total };
}

export async function adjustedSettlement(q: Queryable, id: number): Promise<AdjustedSettlement | undefined> {
  const row = Number.isSafeInteger(id) && id > 0 ? await findSettlementById(q, id) : undefined;
  return row ? (await withAdjustments(q, [row]))[0] : undefined;
}

export type { SettlementRow };
