/** What continuous enrolment is judged on: the years a person was enrolled, the years they claimed, and each enrollment's cover. */
import type { CoverDecision } from '../../domain/enrollment/cover.ts';
import type { Queryable } from '../db.ts';

/** The years in [from, to] the person was enrolled (paid up, not cancelled). */
export async function enrolledYears(q: Queryable, personId: number, from: number, to: number): Promise<Set<number>> {
  if (to < from) return new Set();
  const rows = await q.query<{ year: number }>(
    `SELECT year FROM enrollments WHERE person_id = $1 AND year BETWEEN $2 AND $3 AND status = 'enrolled'`,
    [personId, from, to],
  );
  return new Set(rows.map((r) => Number(r.year)));
}

/** In one statement (it runs on every settlement): the enrolled years in [from, to], each with whether the funds paid anything that year. */
export async function enrolledYearsWithClaims(q: Queryable, personId: number, from: number, to: number): Promise<Map<number, boolean>> {
  const rows = await q.query<{ year: number; claimed: boolean }>(
    `SELECT e.year, EXISTS (SELECT 1 FROM settlements s WHERE s.person_id = e.person_id AND s.year = e.year AND s.status = 'settled' AND s.funds_fen > 0) AS claimed
     FROM enrollments e WHERE e.person_id = $1 AND e.year BETWEEN $2 AND $3 AND e.status = 'enrolled'`,
    [personId, from, to],
  );
  return new Map(rows.map((r) => [Number(r.year), r.claimed === true]));
}

/** Records when the enrollment's cover starts and why; null clears it (no longer paid up). */
export async function setCover(q: Queryable, personId: number, year: number, decision: CoverDecision | null): Promise<void> {
  await q.query('UPDATE enrollments SET cover_from = $3, cover_decision = $4 WHERE person_id = $1 AND year = $2', [
    personId, year, decision?.coverFrom ?? null, decision ? JSON.stringify(decision) : null,
  ]);
}

export interface CoverRow {
  cover_from: string | null;
  cover_decision: CoverDecision | null;
}

export async function coverOf(q: Queryable, personId: number, year: number): Promise<CoverRow | undefined> {
  return (await q.query<CoverRow & Record<string, unknown>>(
    'SELECT cover_from::text AS cover_from, cover_decision FROM enrollments WHERE person_id = $1 AND year = $2',
    [personId, year],
  ))[0];
}
