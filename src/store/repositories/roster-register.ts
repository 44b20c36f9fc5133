/**
 * What a roster changes in the register beside identities: a household for
 * each person it registers (so the campaign and the household page reach
 * them), and, on a roster marked to correct the register, the names and
 * villages of known people. Every change is audited, by id only.
 */
import type { Queryable } from '../db.ts';

export interface KnownPerson {
  id: number;
  id_number: string;
  name: string;
  division_code: string;
  household_id: number | null;
}

export async function knownPersons(q: Queryable, idNumbers: readonly string[]): Promise<KnownPerson[]> {
  return q.query<KnownPerson & Record<string, unknown>>(
    'SELECT id, id_number, name, division_code, household_id FROM persons WHERE id_number = ANY($1::text[])',
    [idNumbers],
  );
}

/** A household of one for each person registered without one: number DIVISION-R<person id>, the person its head. */
export async function householdsForRegistered(q: Queryable, personIds: readonly number[], actor: string, rosterId: number): Promise<number> {
  if (personIds.length === 0) return 0;
  const [row] = await q.query<{ n: number }>(
    `WITH lonely AS (
       SELECT id, division_code, division_code || '-R' || id AS code FROM persons WHERE id = ANY($1::bigint[]) AND household_id IS NULL),
     h AS (
       INSERT INTO households (code, division_code) SELECT code, division_code FROM lonely RETURNING id, code),
     moved AS (
       UPDATE persons p SET household_id = h.id, relation = 'head', updated_at = now()
       FROM lonely l JOIN h ON h.code = l.code WHERE p.id = l.id RETURNING p.id, h.id AS household_id),
     logged AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $2, 'household.create', 'household', moved.household_id::text,
         jsonb_build_object('personId', moved.id, 'roster', $3::bigint, 'reason', 'registered by a roster')
       FROM moved)
     SELECT count(*)::int AS n FROM moved`,
    [personIds, actor, rosterId],
  );
  return row!.n;
}

export interface RegisterCorrection {
  personId: number;
  name: string | null;
  divisionCode: string | null;
}

/** Names and villages taken from a roster marked to correct the register; each person's change audited (fields, not values). */
export async function applyCorrections(q: Queryable, corrections: readonly RegisterCorrection[], actor: string, rosterId: number): Promise<void> {
  for (const c of corrections) {
    await q.query('UPDATE persons SET name = COALESCE($2, name), division_code = COALESCE($3, division_code), updated_at = now() WHERE id = $1', [
      c.personId, c.name, c.divisionCode,
    ]);
    const fields = [...(c.name !== null ? ['name'] : []), ...(c.divisionCode !== null ? ['division_code'] : [])];
    await q.query(
      `INSERT INTO audit_log (actor, action, entity, entity_id, detail) VALUES ($1, 'person.update', 'person', $2, $3)`,
      [actor, String(c.personId), JSON.stringify({ fields, via: 'roster correction', roster: rosterId, ...(c.divisionCode !== null ? { divisionCode: c.divisionCode } : {}) })],
    );
  }
}
