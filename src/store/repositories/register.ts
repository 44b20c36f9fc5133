/**
 * The household register as the window and register imports change it:
 * households by number, people with their names in Chinese and Tibetan, and
 * what the registry already holds about a file's people and households.
 */
import type { Queryable } from '../db.ts';

export interface RegisterPersonRow {
  id: number;
  id_number: string;
  name: string;
  name_bo: string | null;
  phone: string | null;
  relation: string | null;
  division_code: string;
  household_id: number | null;
  household_code: string | null;
}

const PERSON = `SELECT p.id, p.id_number, p.name, p.name_bo, p.phone, p.relation, p.division_code, p.household_id, h.code AS household_code
  FROM persons p LEFT JOIN households h ON h.id = p.household_id`;

export async function registerPersonsByIdNumber(q: Queryable, idNumbers: readonly string[]): Promise<RegisterPersonRow[]> {
  return q.query<RegisterPersonRow & Record<string, unknown>>(`${PERSON} WHERE p.id_number = ANY($1::text[])`, [idNumbers]);
}

export async function registerPerson(q: Queryable, id: number): Promise<RegisterPersonRow | undefined> {
  return (await q.query<RegisterPersonRow & Record<string, unknown>>(`${PERSON} WHERE p.id = $1`, [id]))[0];
}

export interface HouseholdRow {
  id: number;
  code: string;
  division_code: string;
  /** ID numbers of the members registered as head. */
  heads: string[];
  members: number;
}

const HOUSEHOLD = `SELECT h.id, h.code, h.division_code,
    COALESCE((SELECT array_agg(p.id_number) FROM persons p WHERE p.household_id = h.id AND p.relation = 'head'), '{}') AS heads,
    (SELECT count(*)::int FROM persons p WHERE p.household_id = h.id) AS members
  FROM households h`;

export async function householdsByCode(q: Queryable, codes: readonly string[]): Promise<HouseholdRow[]> {
  return q.query<HouseholdRow & Record<string, unknown>>(`${HOUSEHOLD} WHERE h.code = ANY($1::text[])`, [codes]);
}

export async function householdById(q: Queryable, id: number): Promise<HouseholdRow | undefined> {
  return (await q.query<HouseholdRow & Record<string, unknown>>(`${HOUSEHOLD} WHERE h.id = $1`, [id]))[0];
}

export async function villageCodes(q: Queryable): Promise<Set<string>> {
  return new Set((await q.query<{ code: string }>('SELECT code FROM divisions WHERE level = 3')).map((r) => r.code));
}

export async function insertHousehold(q: Queryable, code: string, village: string): Promise<number> {
  return (await q.query<{ id: number }>('INSERT INTO households (code, division_code) VALUES ($1, $2) RETURNING id', [code, village]))[0]!.id;
}

/** Moves a household and all its members to another village. */
export async function moveHousehold(q: Queryable, id: number, village: string): Promise<void> {
  await q.query('UPDATE households SET division_code = $2 WHERE id = $1', [id, village]);
  await q.query('UPDATE persons SET division_code = $2, updated_at = now() WHERE household_id = $1', [id, village]);
}

/** The next free household number in a village: VILLAGE-000001, -000002 … */
export async function nextHouseholdCode(q: Queryable, village: string): Promise<string> {
  const [row] = await q.query<{ n: number | null }>(
    `SELECT max(substr(code, 14)::int) AS n FROM households WHERE code LIKE $1 || '-%' AND substr(code, 14) ~ '^\\d{1,9}$'`,
    [village],
  );
  return `${village}-${String((row?.n ?? 0) + 1).padStart(6, '0')}`;
}

export interface RegisterFields {
  name: string;
  name_bo: string | null;
  phone: string | null;
  relation: string | null;
  division_code: string;
  household_id: number | null;
}

export async function insertRegisterPerson(
  q: Queryable,
  p: RegisterFields & { id_number: string; sex: 'M' | 'F'; birth_date: string; qr_token: string },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO persons (id_number, name, name_bo, sex, birth_date, division_code, household_id, relation, phone, qr_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [p.id_number, p.name, p.name_bo, p.sex, p.birth_date, p.division_code, p.household_id, p.relation, p.phone, p.qr_token],
  );
  return rows[0]!.id;
}

export async function updateRegisterPerson(q: Queryable, id: number, p: RegisterFields): Promise<void> {
  await q.query(
    `UPDATE persons SET name = $2, name_bo = $3, phone = $4, relation = $5, division_code = $6, household_id = $7, updated_at = now() WHERE id = $1`,
    [id, p.name, p.name_bo, p.phone, p.relation, p.division_code, p.household_id],
  );
}

/** New households in one statement: their ids by number. */
export async function insertHouseholds(q: Queryable, rows: readonly { code: string; village: string }[]): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const inserted = await q.query<{ id: number; code: string }>(
    'INSERT INTO households (code, division_code) SELECT * FROM unnest($1::text[], $2::text[]) RETURNING id, code',
    [rows.map((r) => r.code), rows.map((r) => r.village)],
  );
  return new Map(inserted.map((r) => [r.code, r.id]));
}

/** New people in one statement: their ids by ID number. */
export async function insertRegisterPersons(
  q: Queryable,
  rows: readonly (RegisterFields & { id_number: string; sex: 'M' | 'F'; birth_date: string; qr_token: string })[],
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const inserted = await q.query<{ id: number; id_number: string }>(
    `INSERT INTO persons (id_number, name, name_bo, sex, birth_date, division_code, household_id, relation, phone, qr_token)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::char(1)[], $5::date[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[])
     RETURNING id, id_number`,
    [
      rows.map((r) => r.id_number), rows.map((r) => r.name), rows.map((r) => r.name_bo), rows.map((r) => r.sex), rows.map((r) => r.birth_date),
      rows.map((r) => r.division_code), rows.map((r) => r.household_id), rows.map((r) => r.relation), rows.map((r) => r.phone), rows.map((r) => r.qr_token),
    ],
  );
  return new Map(inserted.map((r) => [r.id_number, r.id]));
}
