/** Enrollments per person and year (the enrollment issue builds the campaign on this). */
import type { Queryable } from '../db.ts';

export interface EnrollmentRow {
  person_id: number;
  year: number;
  policy_id: string;
  scheme: 'resident' | 'employee';
  tier: string;
  contribution_fen: number;
  subsidy_fen: number;
  subsidy_identity: string | null;
  subsidy_kind: string | null;
  subsidy_department: string | null;
  individual_fen: number;
  paid_fen: number;
  status: 'pending' | 'enrolled' | 'cancelled';
  enrolled_at: Date | null;
}

export async function findEnrollment(q: Queryable, personId: number, year: number): Promise<EnrollmentRow | undefined> {
  const rows = await q.query<EnrollmentRow & Record<string, unknown>>(
    'SELECT * FROM enrollments WHERE person_id = $1 AND year = $2',
    [personId, year],
  );
  return rows[0];
}

/** Every enrollment of a person, newest year first. */
export async function listEnrollmentsOfPerson(q: Queryable, personId: number): Promise<EnrollmentRow[]> {
  return q.query<EnrollmentRow & Record<string, unknown>>('SELECT * FROM enrollments WHERE person_id = $1 ORDER BY year DESC', [personId]);
}
