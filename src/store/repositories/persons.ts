/** Persons, households and identities. */
import type { IdentitySpan } from '../../domain/engine/types.ts';
import type { Identity } from '../../domain/vocabulary.ts';
import { requireAttestedBy } from '../../domain/attestation.ts';
import type { Queryable } from '../db.ts';

export interface PersonRow {
  id: number;
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  division_code: string;
  household_id: number | null;
  relation: string | null;
  phone: string | null;
  scheme: 'resident' | 'employee';
  employment_status: 'in_service' | 'retired';
  qr_token: string;
  preferred_language: string;
}

/** The columns of a PersonRow, dates as ISO text. */
export const PERSON_COLUMNS = `id, id_number, name, sex, birth_date::text AS birth_date, division_code, household_id, relation, phone,
  scheme, employment_status, qr_token, preferred_language`;

export async function findPersonByIdNumber(q: Queryable, idNumber: string): Promise<PersonRow | undefined> {
  const rows = await q.query<PersonRow & Record<string, unknown>>(`SELECT ${PERSON_COLUMNS} FROM persons WHERE id_number = $1`, [
    idNumber.toUpperCase(),
  ]);
  return rows[0];
}

export async function findPersonByQrToken(q: Queryable, token: string): Promise<PersonRow | undefined> {
  const rows = await q.query<PersonRow & Record<string, unknown>>(`SELECT ${PERSON_COLUMNS} FROM persons WHERE qr_token = $1`, [token]);
  return rows[0];
}

export async function findPersonById(q: Queryable, id: number): Promise<PersonRow | undefined> {
  const rows = await q.query<PersonRow & Record<string, unknown>>(`SELECT ${PERSON_COLUMNS} FROM persons WHERE id = $1`, [id]);
  return rows[0];
}

export interface NewPerson {
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  divisionCode: string;
  householdId?: number | null;
  relation?: string | null;
  phone?: string | null;
  scheme?: 'resident' | 'employee';
  employmentStatus?: 'in_service' | 'retired';
  qrToken: string;
}

export async function insertPerson(q: Queryable, p: NewPerson): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO persons (id_number, name, sex, birth_date, division_code, household_id, relation, phone, scheme, employment_status, qr_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      p.idNumber.toUpperCase(),
      p.name,
      p.sex,
      p.birthDate,
      p.divisionCode,
      p.householdId ?? null,
      p.relation ?? null,
      p.phone ?? null,
      p.scheme ?? 'resident',
      p.employmentStatus ?? 'in_service',
      p.qrToken,
    ],
  );
  return rows[0]!.id;
}

export interface IdentityRow {
  id: number;
  person_id: number;
  identity: Identity;
  valid_from: string;
  valid_to: string | null;
  department: string;
  source: string;
}

/** Identities still in force (not ended by a newer roster), with their validity periods. */
export async function identitiesOf(q: Queryable, personId: number): Promise<IdentityRow[]> {
  return q.query<IdentityRow & Record<string, unknown>>(
    `SELECT id, person_id, identity, valid_from::text AS valid_from, valid_to::text AS valid_to, department, source
     FROM identities WHERE person_id = $1 AND ended_at IS NULL ORDER BY valid_from, id`,
    [personId],
  );
}

export function toSpans(rows: readonly IdentityRow[]): IdentitySpan[] {
  return rows.map((r) => ({ identity: r.identity, from: r.valid_from, to: r.valid_to }));
}

export async function insertIdentity(
  q: Queryable,
  i: { personId: number; identity: Identity; validFrom: string; validTo?: string | null; department: string; source?: string },
): Promise<number> {
  requireAttestedBy(i.identity, i.department); // the last line of defence: every caller checks first
  const rows = await q.query<{ id: number }>(
    `INSERT INTO identities (person_id, identity, valid_from, valid_to, department, source)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [i.personId, i.identity, i.validFrom, i.validTo ?? null, i.department, i.source ?? 'manual'],
  );
  return rows[0]!.id;
}
