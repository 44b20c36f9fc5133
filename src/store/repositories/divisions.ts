/** The division registry (行政区划): county, townships, villages. */
import type { Queryable } from '../db.ts';

export interface DivisionRow {
  code: string;
  name: string;
  name_bo: string | null;
  name_en: string | null;
  level: 1 | 2 | 3;
  parent_code: string | null;
}

const COLUMNS = 'code, name, name_bo, name_en, level, parent_code';

/** Divisions under a code (itself included), in code order; every division when scope is null. */
export async function listDivisions(q: Queryable, scope: string | null): Promise<DivisionRow[]> {
  return q.query<DivisionRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM divisions WHERE $1::text IS NULL OR code LIKE $1 || '%' ORDER BY code`,
    [scope],
  );
}

export async function findDivision(q: Queryable, code: string): Promise<DivisionRow | undefined> {
  const rows = await q.query<DivisionRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM divisions WHERE code = $1`, [code]);
  return rows[0];
}

/** The registry's divisions of the given codes (and whether the others exist at all). */
export async function divisionsByCode(q: Queryable, codes: readonly string[]): Promise<Map<string, DivisionRow>> {
  const rows = await q.query<DivisionRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM divisions WHERE code = ANY($1::text[])`, [codes]);
  return new Map(rows.map((r) => [r.code, r]));
}

export async function allDivisionCodes(q: Queryable): Promise<Set<string>> {
  return new Set((await q.query<{ code: string }>('SELECT code FROM divisions')).map((r) => r.code));
}

export async function insertDivision(q: Queryable, d: Omit<DivisionRow, never>): Promise<void> {
  await q.query(`INSERT INTO divisions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [d.code, d.name, d.name_bo, d.name_en, d.level, d.parent_code]);
}

export async function renameDivision(q: Queryable, code: string, names: { name: string; name_bo: string | null; name_en: string | null }): Promise<void> {
  await q.query('UPDATE divisions SET name = $2, name_bo = $3, name_en = $4 WHERE code = $1', [code, names.name, names.name_bo, names.name_en]);
}
