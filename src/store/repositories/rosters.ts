/**
 * Identity rosters and what each import did to the identities, in bulk SQL
 * (unnest arrays and INSERT … SELECT): a 100,000-row roster is a few statements.
 */
import type { RosterEntry, RosterMode, RowProblem } from '../../domain/enrollment/roster-rows.ts';
import type { Queryable } from '../db.ts';

const CHUNK = 20_000;

export interface RosterRow {
  id: number;
  department: string;
  identity: string;
  valid_from: string;
  valid_to: string | null;
  division_code: string;
  file_name: string;
  file_sha256: string;
  rows_total: number;
  rows_imported: number;
  skipped: RowProblem[];
  persons_registered: number;
  identities_added: number;
  identities_ended: number;
  identities_unchanged: number;
  mode: 'replace' | 'add' | 'end';
  corrects_register: boolean;
  imported_by: string;
  imported_at: Date;
}

const COLUMNS = `id, department, identity, valid_from::text AS valid_from, valid_to::text AS valid_to, division_code, file_name, file_sha256,
  rows_total, rows_imported, skipped, persons_registered, identities_added, identities_ended, identities_unchanged, mode, corrects_register, imported_by, imported_at`;

export async function listRosters(q: Queryable, filter: { department?: string | undefined; limit?: number } = {}): Promise<RosterRow[]> {
  return q.query<RosterRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM rosters WHERE ($1::text IS NULL OR department = $1) ORDER BY id DESC LIMIT $2`,
    [filter.department ?? null, filter.limit ?? 100],
  );
}

export async function findRoster(q: Queryable, id: number): Promise<RosterRow | undefined> {
  return (await q.query<RosterRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM rosters WHERE id = $1`, [id]))[0];
}

/** The latest roster of a department and identity for a division (the one in force). */
export async function latestRoster(q: Queryable, department: string, identity: string, divisionCode: string): Promise<RosterRow | undefined> {
  const rows = await q.query<RosterRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM rosters WHERE department = $1 AND identity = $2 AND division_code = $3 ORDER BY id DESC LIMIT 1`,
    [department, identity, divisionCode],
  );
  return rows[0];
}

export interface NewRoster {
  department: string;
  identity: string;
  validFrom: string;
  validTo: string | null;
  divisionCode: string;
  fileName: string;
  sha256: string;
  rowsTotal: number;
  skipped: readonly RowProblem[];
  mode: RosterMode;
  correctsRegister: boolean;
  actor: string;
}

export async function insertRoster(q: Queryable, r: NewRoster, rowsImported: number): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO rosters (department, identity, valid_from, valid_to, division_code, file_name, file_sha256, rows_total, rows_imported, skipped, imported_by, mode, corrects_register)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [r.department, r.identity, r.validFrom, r.validTo, r.divisionCode, r.fileName, r.sha256, r.rowsTotal, rowsImported, JSON.stringify(r.skipped), r.actor, r.mode, r.correctsRegister],
  );
  return rows[0]!.id;
}

/**
 * Registers the roster's people the registry does not know yet (sex and birth
 * date from the ID number; not for a roster that only ends statuses), then
 * records every row against its person. Returns the ids of the people registered.
 */
export async function stageEntries(
  q: Queryable,
  rosterId: number,
  entries: readonly RosterEntry[],
  actor: string,
  onChunk?: (done: number) => void,
  register = true,
): Promise<number[]> {
  const registered: number[] = [];
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    const ids = chunk.map((e) => e.idNumber);
    const inserted = !register ? [] : await q.query<{ id: number }>(
      `WITH ins AS (
         INSERT INTO persons (id_number, name, sex, birth_date, division_code, qr_token)
         SELECT t.id_number, t.name, t.sex, t.birth_date, t.division_code, 'qr_' || md5(t.id_number || clock_timestamp()::text || random()::text)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[]) AS t(id_number, name, sex, birth_date, division_code)
         WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id_number = t.id_number)
         ON CONFLICT (id_number) DO NOTHING
         RETURNING id),
       logged AS (
         INSERT INTO audit_log (actor, action, entity, entity_id, detail)
         SELECT $6, 'person.create', 'person', ins.id::text, jsonb_build_object('roster', $7::bigint) FROM ins)
       SELECT id FROM ins`,
      [ids, chunk.map((e) => e.name), chunk.map((e) => e.sex), chunk.map((e) => e.birthDate), chunk.map((e) => e.divisionCode), actor, rosterId],
    );
    for (const r of inserted) registered.push(Number(r.id));
    await q.query(
      `INSERT INTO roster_entries (roster_id, row_number, person_id, valid_from, valid_to)
       SELECT $1, t.row_number, p.id, t.valid_from, t.valid_to
       FROM unnest($2::int[], $3::text[], $4::date[], $5::date[]) AS t(row_number, id_number, valid_from, valid_to)
       JOIN persons p ON p.id_number = t.id_number`,
      [rosterId, chunk.map((e) => e.row), ids, chunk.map((e) => e.validFrom), chunk.map((e) => e.validTo)],
    );
    onChunk?.(Math.min(i + CHUNK, entries.length));
  }
  return registered;
}

export interface RosterEffect {
  registered: number;
  added: number;
  ended: number;
  unchanged: number;
}

/**
 * Brings the identities of the roster's department and identity in line with
 * it. replace: people it dropped (inside its division) end (valid-to the day
 * before the roster's start), changed dates end the old record and add a new
 * one, new people are added. add: only people without the identity in force
 * are added. end: the listed people's identity ends the day before the
 * roster's start. Nothing is deleted; each change is audited.
 */
export async function applyRoster(
  q: Queryable,
  roster: { id: number; identity: string; department: string; validFrom: string; divisionCode: string; mode: RosterMode },
  actor: string,
): Promise<Omit<RosterEffect, 'registered'> & { dropped: number }> {
  const source = `roster:${roster.id}`;
  const [total] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM roster_entries WHERE roster_id = $1', [roster.id]);
  if (roster.mode === 'end') {
    const [ended] = await q.query<{ n: number }>(
      `WITH gone AS (
         UPDATE identities i SET ended_at = now(), ended_by = $4,
           valid_to = GREATEST(i.valid_from, LEAST(COALESCE(i.valid_to, 'infinity'::date), $5::date - 1))
         FROM roster_entries e
         WHERE e.roster_id = $1 AND e.person_id = i.person_id AND i.identity = $2 AND i.department = $3 AND i.ended_at IS NULL
         RETURNING i.id, i.person_id),
       logged AS (
         INSERT INTO audit_log (actor, action, entity, entity_id, detail)
         SELECT $6, 'identity.end', 'identity', gone.id::text, jsonb_build_object('personId', gone.person_id, 'roster', $1::bigint, 'reason', 'ended by a roster of endings')
         FROM gone)
       SELECT count(*)::int AS n FROM gone`,
      [roster.id, roster.identity, roster.department, source, roster.validFrom, actor],
    );
    return { added: 0, ended: ended!.n, dropped: ended!.n, unchanged: total!.n - ended!.n };
  }
  let ended = 0;
  let droppedN = 0;
  if (roster.mode === 'replace') {
    const [dropped] = await q.query<{ n: number }>(
      `WITH gone AS (
         UPDATE identities i SET ended_at = now(), ended_by = $4,
           valid_to = GREATEST(i.valid_from, LEAST(COALESCE(i.valid_to, 'infinity'::date), $5::date - 1))
         WHERE i.identity = $2 AND i.department = $3 AND i.ended_at IS NULL
           AND i.person_id IN (SELECT p.id FROM persons p WHERE p.division_code LIKE $7 || '%')
           AND NOT EXISTS (SELECT 1 FROM roster_entries e WHERE e.roster_id = $1 AND e.person_id = i.person_id)
         RETURNING i.id, i.person_id),
       logged AS (
         INSERT INTO audit_log (actor, action, entity, entity_id, detail)
         SELECT $6, 'identity.end', 'identity', gone.id::text, jsonb_build_object('personId', gone.person_id, 'roster', $1::bigint, 'reason', 'dropped by a newer roster')
         FROM gone)
       SELECT count(*)::int AS n FROM gone`,
      [roster.id, roster.identity, roster.department, source, roster.validFrom, actor, roster.divisionCode],
    );
    const [replaced] = await q.query<{ n: number }>(
      `WITH old AS (
         UPDATE identities i SET ended_at = now(), ended_by = $4
         FROM roster_entries e
         WHERE e.roster_id = $1 AND e.person_id = i.person_id AND i.identity = $2 AND i.department = $3 AND i.ended_at IS NULL
           AND (e.valid_from <> i.valid_from OR e.valid_to IS DISTINCT FROM i.valid_to)
         RETURNING i.id, i.person_id),
       logged AS (
         INSERT INTO audit_log (actor, action, entity, entity_id, detail)
         SELECT $5, 'identity.end', 'identity', old.id::text, jsonb_build_object('personId', old.person_id, 'roster', $1::bigint, 'reason', 'dates replaced by a newer roster')
         FROM old)
       SELECT count(*)::int AS n FROM old`,
      [roster.id, roster.identity, roster.department, source, actor],
    );
    ended = dropped!.n + replaced!.n;
    droppedN = dropped!.n;
  }
  const [added] = await q.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO identities (person_id, identity, valid_from, valid_to, department, source)
       SELECT e.person_id, $2, e.valid_from, e.valid_to, $3, $4
       FROM roster_entries e
       WHERE e.roster_id = $1
         AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.person_id = e.person_id AND i.identity = $2 AND i.department = $3 AND i.ended_at IS NULL)
       RETURNING id, person_id),
     logged AS (
       INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $5, 'identity.add', 'identity', ins.id::text, jsonb_build_object('personId', ins.person_id, 'roster', $1::bigint)
       FROM ins)
     SELECT count(*)::int AS n FROM ins`,
    [roster.id, roster.identity, roster.department, source, actor],
  );
  const addedN = added!.n;
  return { added: addedN, ended, dropped: droppedN, unchanged: total!.n - addedN };
}

export async function recordEffect(q: Queryable, rosterId: number, effect: RosterEffect): Promise<void> {
  await q.query(
    `UPDATE rosters SET persons_registered = $2, identities_added = $3, identities_ended = $4, identities_unchanged = $5 WHERE id = $1`,
    [rosterId, effect.registered, effect.added, effect.ended, effect.unchanged],
  );
}

export interface IdentityHistoryRow {
  id: number;
  identity: string;
  department: string;
  valid_from: string;
  valid_to: string | null;
  source: string;
  created_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
}

/** Every identity a person has held, in force or ended, newest first: the history rosters keep. */
export async function identityHistory(q: Queryable, personId: number): Promise<IdentityHistoryRow[]> {
  return q.query<IdentityHistoryRow & Record<string, unknown>>(
    `SELECT id, identity, department, valid_from::text AS valid_from, valid_to::text AS valid_to, source, created_at, ended_at, ended_by
     FROM identities WHERE person_id = $1 ORDER BY valid_from DESC, id DESC`,
    [personId],
  );
}
