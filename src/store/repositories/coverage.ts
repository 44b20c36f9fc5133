/**
 * Coverage figures of a year (参保率): per village, the residents (the target
 * population), those enrolled, and the same for people holding an identity
 * (the "verified people in difficulty"); the people not yet enrolled; and the
 * subsidies paid on behalf per department and identity.
 */
import type { Queryable } from '../db.ts';

/** An identity in force at some time in year $1: ended_at unset, valid over a day of the year. */
const IN_FORCE_IN_YEAR = `i.ended_at IS NULL AND i.valid_from <= make_date($1::int, 12, 31) AND (i.valid_to IS NULL OR i.valid_to >= make_date($1::int, 1, 1))`;
const IN_FORCE = `EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id AND ${IN_FORCE_IN_YEAR})`;

export interface VillageCoverageRow {
  division_code: string;
  target: number;
  enrolled: number;
  difficulty_target: number;
  difficulty_enrolled: number;
}

export async function coverageByVillage(q: Queryable, year: number, prefix: string): Promise<VillageCoverageRow[]> {
  return q.query<VillageCoverageRow & Record<string, unknown>>(
    `SELECT division_code, count(*)::int AS target, count(*) FILTER (WHERE enrolled)::int AS enrolled,
       count(*) FILTER (WHERE difficulty)::int AS difficulty_target, count(*) FILTER (WHERE difficulty AND enrolled)::int AS difficulty_enrolled
     FROM (
       SELECT p.division_code, COALESCE(e.status = 'enrolled', false) AS enrolled, d.person_id IS NOT NULL AS difficulty
       FROM persons p LEFT JOIN enrollments e ON e.person_id = p.id AND e.year = $1
       -- People in difficulty by one hash join (issue 18): an EXISTS here was probed twice per person, one person after
       -- another in the leader (10.8 s over 3 million people against 2.5 s so, bench:coverage).
       LEFT JOIN (SELECT i.person_id FROM identities i WHERE ${IN_FORCE_IN_YEAR} GROUP BY i.person_id) d ON d.person_id = p.id
       WHERE p.scheme = 'resident' AND p.division_code LIKE $2 || '%' AND e.status IS DISTINCT FROM 'cancelled') s
     GROUP BY division_code ORDER BY division_code`,
    [year, prefix],
  );
}

export interface DivisionRow {
  code: string;
  name: string;
  name_bo: string | null;
  name_en: string | null;
  level: number;
  parent_code: string | null;
}

export async function divisionsUnder(q: Queryable, prefix: string): Promise<DivisionRow[]> {
  return q.query<DivisionRow & Record<string, unknown>>(
    'SELECT code, name, name_bo, name_en, level, parent_code FROM divisions WHERE code LIKE $1 || $2 ORDER BY code',
    [prefix, '%'],
  );
}

export interface UnenrolledRow {
  person_id: number;
  division_code: string;
  division_name: string;
  division_name_bo: string | null;
  division_name_en: string | null;
  household_code: string | null;
  name: string;
  id_number: string;
  phone: string | null;
  relation: string | null;
  status: 'pending' | null;
  individual_fen: number | null;
  paid_fen: number;
  identities: string | null;
}

export interface UnenrolledFilter {
  year: number;
  prefix: string;
  /** Only people holding an identity in force in the year. */
  difficultyOnly?: boolean;
  limit?: number;
  offset?: number;
}

/** The people not yet enrolled, by village and household: the door-to-door list. */
export async function unenrolled(q: Queryable, f: UnenrolledFilter): Promise<{ rows: UnenrolledRow[]; total: number }> {
  const where = `p.scheme = 'resident' AND p.division_code LIKE $2 || '%' AND (e.status IS NULL OR e.status = 'pending')
    AND ($3::boolean = false OR ${IN_FORCE})`;
  const rows = await q.query<UnenrolledRow & Record<string, unknown>>(
    `SELECT p.id AS person_id, p.division_code, d.name AS division_name, d.name_bo AS division_name_bo, d.name_en AS division_name_en, h.code AS household_code, p.name, p.id_number, p.phone, p.relation,
       e.status, e.individual_fen, COALESCE(e.paid_fen, 0) AS paid_fen,
       (SELECT string_agg(DISTINCT i.identity, ',' ORDER BY i.identity) FROM identities i
        WHERE i.person_id = p.id AND i.ended_at IS NULL AND i.valid_from <= make_date($1::int, 12, 31)
          AND (i.valid_to IS NULL OR i.valid_to >= make_date($1::int, 1, 1))) AS identities
     FROM persons p
     LEFT JOIN enrollments e ON e.person_id = p.id AND e.year = $1
     LEFT JOIN households h ON h.id = p.household_id
     JOIN divisions d ON d.code = p.division_code
     WHERE ${where}
     ORDER BY p.division_code, h.code NULLS LAST, (p.relation = 'head') DESC NULLS LAST, p.id
     LIMIT $4 OFFSET $5`,
    [f.year, f.prefix, f.difficultyOnly ?? false, f.limit ?? 1_000_000, f.offset ?? 0],
  );
  const [count] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM persons p LEFT JOIN enrollments e ON e.person_id = p.id AND e.year = $1 WHERE ${where}`,
    [f.year, f.prefix, f.difficultyOnly ?? false],
  );
  return { rows, total: count!.n };
}

export interface SubsidyTotalRow {
  department: string;
  identity: string;
  kind: string;
  persons: number;
  subsidy_fen: number;
  enrolled_persons: number;
  enrolled_subsidy_fen: number;
}

/** Subsidies per paying department and identity (the shape of Dege's "5.3268 million paid on behalf"). */
export async function subsidyTotals(q: Queryable, year: number, prefix: string): Promise<SubsidyTotalRow[]> {
  return q.query<SubsidyTotalRow & Record<string, unknown>>(
    `SELECT e.subsidy_department AS department, e.subsidy_identity AS identity, e.subsidy_kind AS kind, count(*)::int AS persons,
       sum(e.subsidy_fen)::bigint AS subsidy_fen, count(*) FILTER (WHERE e.status = 'enrolled')::int AS enrolled_persons,
       COALESCE(sum(e.subsidy_fen) FILTER (WHERE e.status = 'enrolled'), 0)::bigint AS enrolled_subsidy_fen
     FROM enrollments e JOIN persons p ON p.id = e.person_id
     WHERE e.year = $1 AND p.division_code LIKE $2 || '%' AND e.subsidy_fen > 0 AND e.status <> 'cancelled'
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [year, prefix],
  );
}

export interface MemberRow {
  person_id: number;
  name: string;
  id_number: string;
  phone: string | null;
  relation: string | null;
  sex: string;
  birth_date: string;
  division_code: string;
  enrollment: {
    policy_id: string; tier: string; contribution_fen: number; subsidy_fen: number; subsidy_identity: string | null;
    subsidy_kind: string | null; subsidy_department: string | null; individual_fen: number; paid_fen: number; status: string;
    cover_from: string | null;
  } | null;
}

/** The members of a household with their enrollment of the year (null before the campaign reached them). */
export async function householdMembers(q: Queryable, householdId: number, year: number): Promise<MemberRow[]> {
  return q.query<MemberRow & Record<string, unknown>>(
    `SELECT p.id AS person_id, p.name, p.id_number, p.phone, p.relation, p.sex, p.birth_date::text AS birth_date, p.division_code,
       CASE WHEN e.person_id IS NULL THEN NULL ELSE jsonb_build_object(
         'policy_id', e.policy_id, 'tier', e.tier, 'contribution_fen', e.contribution_fen, 'subsidy_fen', e.subsidy_fen,
         'subsidy_identity', e.subsidy_identity, 'subsidy_kind', e.subsidy_kind, 'subsidy_department', e.subsidy_department,
         'individual_fen', e.individual_fen, 'paid_fen', e.paid_fen, 'status', e.status, 'cover_from', e.cover_from::text) END AS enrollment
     FROM persons p LEFT JOIN enrollments e ON e.person_id = p.id AND e.year = $2
     WHERE p.household_id = $1 ORDER BY (p.relation = 'head') DESC NULLS LAST, p.id`,
    [householdId, year],
  );
}

export async function findHousehold(q: Queryable, ref: { id?: number; code?: string }): Promise<{ id: number; code: string; division_code: string } | undefined> {
  const rows = await q.query<{ id: number; code: string; division_code: string }>(
    'SELECT id, code, division_code FROM households WHERE id = $1 OR code = $2',
    [ref.id ?? null, ref.code ?? null],
  );
  return rows[0];
}
