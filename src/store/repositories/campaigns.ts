/**
 * The yearly campaign in the store: whose identities are in force in a year,
 * and writing every person's enrollment from the (policy, identity set) table
 * in one INSERT … SELECT.
 */
import type { ContributionCase } from '../../domain/enrollment/campaign.ts';
import type { Queryable } from '../db.ts';

/** The identity key of each resident in scope: identities in force (not ended) that overlap the year. */
const PERSON_KEYS = `
  SELECT p.id, p.division_code,
    COALESCE((SELECT string_agg(DISTINCT i.identity, ',' ORDER BY i.identity) FROM identities i
              WHERE i.person_id = p.id AND i.ended_at IS NULL AND i.valid_from <= $2::date
                AND (i.valid_to IS NULL OR i.valid_to >= $1::date)), '') AS key
  FROM persons p
  WHERE p.scheme = 'resident' AND p.division_code LIKE $3 || '%'`;

export async function divisionCodes(q: Queryable, prefix: string): Promise<string[]> {
  const rows = await q.query<{ code: string }>(
    `SELECT DISTINCT division_code AS code FROM persons WHERE scheme = 'resident' AND division_code LIKE $1 || '%'`,
    [prefix],
  );
  return rows.map((r) => r.code);
}

/** The distinct identity sets of a year among the residents of a division. */
export async function identityKeys(q: Queryable, year: number, prefix: string): Promise<string[]> {
  const rows = await q.query<{ key: string }>(`SELECT DISTINCT key FROM (${PERSON_KEYS}) k`, [`${year}-01-01`, `${year}-12-31`, prefix]);
  return rows.map((r) => r.key);
}

export interface CampaignWrite {
  created: number;
  updated: number;
  /** Enrollments left as they were: unchanged, or already enrolled or cancelled. */
  kept: number;
  noPolicy: number;
}

/**
 * Writes each resident's enrollment for the year. A pending enrollment is
 * recomputed (identities may have changed); one already enrolled, or
 * cancelled, is kept. Zero to pay means enrolled at once.
 */
export async function writeEnrollments(
  q: Queryable,
  year: number,
  prefix: string,
  divisionPolicy: ReadonlyMap<string, string>,
  table: readonly ContributionCase[],
): Promise<CampaignWrite> {
  const divisions = [...divisionPolicy.keys()];
  const [result] = await q.query<{ created: number; updated: number; in_scope: number; with_policy: number }>(
    `WITH dp AS (SELECT * FROM unnest($4::text[], $5::text[]) AS dp(code, policy_id)),
     c AS (SELECT * FROM unnest($6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::bigint[])
           AS c(policy_id, key, tier, contribution, subsidy, subsidy_identity, subsidy_kind, subsidy_department, individual)),
     pk AS (${PERSON_KEYS}),
     src AS (
       SELECT pk.id, c.* FROM pk JOIN dp ON dp.code = pk.division_code JOIN c ON c.policy_id = dp.policy_id AND c.key = pk.key),
     up AS (
       INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_kind,
         subsidy_department, individual_fen, status, enrolled_at)
       SELECT src.id, $15, src.policy_id, 'resident', src.tier, src.contribution, src.subsidy, src.subsidy_identity, src.subsidy_kind,
         src.subsidy_department, src.individual, CASE WHEN src.individual = 0 THEN 'enrolled' ELSE 'pending' END,
         CASE WHEN src.individual = 0 THEN now() END
       FROM src
       ON CONFLICT (person_id, year) DO UPDATE SET
         policy_id = EXCLUDED.policy_id, tier = EXCLUDED.tier, contribution_fen = EXCLUDED.contribution_fen,
         subsidy_fen = EXCLUDED.subsidy_fen, subsidy_identity = EXCLUDED.subsidy_identity, subsidy_kind = EXCLUDED.subsidy_kind,
         subsidy_department = EXCLUDED.subsidy_department, individual_fen = EXCLUDED.individual_fen,
         status = CASE WHEN enrollments.paid_fen >= EXCLUDED.individual_fen THEN 'enrolled' ELSE 'pending' END,
         enrolled_at = CASE WHEN enrollments.paid_fen >= EXCLUDED.individual_fen THEN now() END,
         updated_at = now()
       WHERE enrollments.status = 'pending'
         AND (enrollments.policy_id, enrollments.tier, enrollments.contribution_fen, enrollments.subsidy_fen, enrollments.subsidy_identity,
              enrollments.subsidy_department, enrollments.individual_fen)
             IS DISTINCT FROM (EXCLUDED.policy_id, EXCLUDED.tier, EXCLUDED.contribution_fen, EXCLUDED.subsidy_fen, EXCLUDED.subsidy_identity,
              EXCLUDED.subsidy_department, EXCLUDED.individual_fen)
       RETURNING (xmax = 0) AS inserted)
     SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated,
       (SELECT count(*)::int FROM pk) AS in_scope, (SELECT count(*)::int FROM src) AS with_policy
     FROM up`,
    [
      `${year}-01-01`, `${year}-12-31`, prefix,
      divisions, divisions.map((d) => divisionPolicy.get(d)!),
      table.map((c) => c.policyId), table.map((c) => c.key), table.map((c) => c.tier), table.map((c) => c.contribution),
      table.map((c) => c.subsidy), table.map((c) => c.subsidyIdentity), table.map((c) => c.subsidyKind), table.map((c) => c.department),
      table.map((c) => c.individual), year,
    ],
  );
  const r = result!;
  return { created: r.created, updated: r.updated, kept: r.with_policy - r.created - r.updated, noPolicy: r.in_scope - r.with_policy };
}

export interface CampaignStatusRow {
  policy_id: string;
  status: string;
  persons: number;
  contribution_fen: number;
  subsidy_fen: number;
  individual_fen: number;
  paid_fen: number;
}

export async function campaignStatus(q: Queryable, year: number, prefix: string): Promise<CampaignStatusRow[]> {
  return q.query<CampaignStatusRow & Record<string, unknown>>(
    `SELECT e.policy_id, e.status, count(*)::int AS persons, COALESCE(sum(e.contribution_fen), 0)::bigint AS contribution_fen,
       COALESCE(sum(e.subsidy_fen), 0)::bigint AS subsidy_fen, COALESCE(sum(e.individual_fen), 0)::bigint AS individual_fen,
       COALESCE(sum(e.paid_fen), 0)::bigint AS paid_fen
     FROM enrollments e JOIN persons p ON p.id = e.person_id
     WHERE e.year = $1 AND p.division_code LIKE $2 || '%'
     GROUP BY e.policy_id, e.status ORDER BY e.policy_id, e.status`,
    [year, prefix],
  );
}
