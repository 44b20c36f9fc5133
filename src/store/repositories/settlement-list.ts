/** The settlements of a division for the console's list: one page and the real total, optionally of one person or year. */
import type { Queryable } from '../db.ts';

export interface SettlementListFilter {
  readonly divisionPrefix: string;
  readonly personId?: number | undefined;
  readonly year?: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

export interface SettlementListRow {
  id: number;
  person_id: number;
  person_name: string;
  division_code: string;
  visit_date: string;
  kind: string;
  facility: string;
  total_fen: number;
  funds_fen: number;
  self_pay: number;
  status: string;
  adjustments: number;
  total_count: number;
}

export async function listSettlementsOfDivision(q: Queryable, f: SettlementListFilter): Promise<{ total: number; rows: SettlementListRow[] }> {
  const rows = await q.query<SettlementListRow & Record<string, unknown>>(
    `SELECT s.id, s.person_id, p.name AS person_name, p.division_code, v.visit_date::text AS visit_date, v.kind, f.name AS facility,
            s.total_fen, s.funds_fen, s.self_pay, s.status,
            (SELECT count(*)::int FROM settlement_adjustments a WHERE a.settlement_id = s.id) AS adjustments,
            count(*) OVER ()::int AS total_count
     FROM settlements s JOIN persons p ON p.id = s.person_id JOIN visits v ON v.id = s.visit_id JOIN facilities f ON f.id = s.facility_id
     WHERE p.division_code LIKE $1 || '%' AND ($2::bigint IS NULL OR s.person_id = $2) AND ($3::int IS NULL OR s.year = $3)
     ORDER BY s.id DESC LIMIT $4 OFFSET $5`,
    [f.divisionPrefix, f.personId ?? null, f.year ?? null, f.limit, f.offset],
  );
  if (rows.length === 0 && f.offset > 0) {
    const [count] = await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM settlements s JOIN persons p ON p.id = s.person_id
       WHERE p.division_code LIKE $1 || '%' AND ($2::bigint IS NULL OR s.person_id = $2) AND ($3::int IS NULL OR s.year = $3)`,
      [f.divisionPrefix, f.personId ?? null, f.year ?? null],
    );
    return { total: count?.n ?? 0, rows };
  }
  return { total: rows[0]?.total_count ?? 0, rows };
}
