/**
 * Out-of-area treatment both ways, from the settlements Sanbao made and the
 * clearing lists it imported: counts and money by the other place. A region is
 * given by its meaningful code prefix (540100 → 5401).
 */
import type { Queryable } from '../db.ts';

export interface PlaceFigures {
  /** The other place: the treatment region (as insured place) or the insured region (as treatment place), 6 digits. */
  place: string;
  source: 'direct' | 'clearing';
  settlements: number;
  total_fen: number;
  fund_fen: number;
  /** Direct settlements only: how many had an out-of-area filing covering the visit. */
  filed: number;
}

/**
 * The out-of-area figures of a year seen from one side: as the insured place (our insured treated
 * elsewhere, by treatment region) or as the treatment place (other regions' insured in our
 * facilities, by insured region). Direct settlements in Sanbao, and the inter-provincial clearing list.
 */
async function placeFigures(q: Queryable, prefix: string, year: number, side: 'insured' | 'treatment'): Promise<PlaceFigures[]> {
  const [ours, theirs, direction, ourRegion, theirRegion] = side === 'insured'
    ? ['p', 'f', 'outbound', 'insured_region', 'treatment_region']
    : ['f', 'p', 'inbound', 'treatment_region', 'insured_region'];
  return q.query<PlaceFigures & Record<string, unknown>>(
    `SELECT left(${theirs}.division_code, 6) AS place, 'direct' AS source, count(*)::int AS settlements, sum(s.total_fen)::bigint AS total_fen,
       sum(s.funds_fen)::bigint AS fund_fen, count(*) FILTER (WHERE v.filed)::int AS filed
     FROM settlements s JOIN persons p ON p.id = s.person_id JOIN facilities f ON f.id = s.facility_id JOIN visits v ON v.id = s.visit_id
     WHERE s.year = $2 AND s.status = 'settled' AND starts_with(${ours}.division_code, $1) AND NOT starts_with(${theirs}.division_code, $1)
     GROUP BY 1
     UNION ALL
     SELECT ${theirRegion}, 'clearing', count(*)::int, sum(total_fen)::bigint, sum(fund_fen)::bigint, 0
     FROM clearing_settlements WHERE direction = '${direction}' AND starts_with(${ourRegion}, $1)
       AND settle_date >= make_date($2, 1, 1) AND settle_date <= make_date($2, 12, 31)
     GROUP BY 1
     ORDER BY 1, 2`,
    [prefix, year],
  ).then(numbers);
}

/** Our insured treated elsewhere (we are the insured place), in a year, by treatment region. */
export const asInsuredPlace = (q: Queryable, prefix: string, year: number) => placeFigures(q, prefix, year, 'insured');

/** Other regions' insured treated in our facilities (we are the treatment place), in a year, by insured region. */
export const asTreatmentPlace = (q: Queryable, prefix: string, year: number) => placeFigures(q, prefix, year, 'treatment');

function numbers(rows: PlaceFigures[]): PlaceFigures[] {
  return rows.map((r) => ({ ...r, total_fen: Number(r.total_fen), fund_fen: Number(r.fund_fen) }));
}

/** Names of 6-digit places the division registry knows (others are shown by code). */
export async function placeNames(q: Queryable, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await q.query<{ code: string; name: string }>('SELECT code, name FROM divisions WHERE code = ANY($1::text[])', [codes]);
  return new Map(rows.map((r) => [r.code, r.name]));
}
