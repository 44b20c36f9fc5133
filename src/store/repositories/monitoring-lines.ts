/** The monitoring line (防返贫监测线) per region and year, and a household's figures for the assessment. */
import type { Queryable } from '../db.ts';

/** The line of the most specific region whose code prefixes the division (a county's own, else its prefecture's, …). */
export async function monitoringLineFor(q: Queryable, divisionCode: string, year: number): Promise<{ region_code: string; line_fen: number } | undefined> {
  const rows = await q.query<{ region_code: string; line_fen: number }>(
    `SELECT region_code, line_fen FROM (
       SELECT region_code, line_fen, CASE WHEN region_code ~ '^[0-9]{2}0000$' THEN left(region_code, 2)
         WHEN region_code ~ '^[0-9]{4}00$' THEN left(region_code, 4) ELSE region_code END AS prefix
       FROM monitoring_lines WHERE year = $2) l
     WHERE $1 LIKE l.prefix || '%' ORDER BY length(l.prefix) DESC LIMIT 1`,
    [divisionCode, year],
  );
  return rows[0];
}

export async function setMonitoringLine(q: Queryable, regionCode: string, year: number, lineFen: number, by: string): Promise<void> {
  await q.query(
    `INSERT INTO monitoring_lines (region_code, year, line_fen, set_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (region_code, year) DO UPDATE SET line_fen = $3, set_by = $4, set_at = now()`,
    [regionCode, year, lineFen, by],
  );
}

export async function listMonitoringLines(q: Queryable): Promise<{ region_code: string; year: number; line_fen: number; set_by: string; set_at: Date }[]> {
  return q.query('SELECT region_code, year, line_fen, set_by, set_at FROM monitoring_lines ORDER BY region_code, year');
}

/** The household's yearly net income, its members, and their self-pay of the year (all members' accumulators). */
export async function householdFigures(
  q: Queryable,
  householdId: number,
  year: number,
): Promise<{ code: string; income_fen: number | null; members: number; self_pay: number } | undefined> {
  const rows = await q.query<{ code: string; income_fen: number | null; members: number; self_pay: number }>(
    `SELECT h.code, h.income_fen,
       (SELECT count(*)::int FROM persons p WHERE p.household_id = h.id) AS members,
       (SELECT coalesce(sum(a.self_pay), 0)::bigint FROM accumulators a JOIN persons p ON p.id = a.person_id
        WHERE p.household_id = h.id AND a.year = $2) AS self_pay
     FROM households h WHERE h.id = $1`,
    [householdId, year],
  );
  return rows[0];
}
