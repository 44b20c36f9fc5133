/** Family-sharing links (家庭共济): which employee's account may pay which relative's bills. */
import type { SharingRelation } from '../../domain/account/rules.ts';
import type { Queryable } from '../db.ts';

export interface LinkRow {
  id: number;
  holder_id: number;
  relative_id: number;
  relation: SharingRelation;
  status: 'active' | 'ended';
  created_by: string;
  created_at: Date;
  ended_at: Date | null;
  /** The other person's name and ID number (masked by the presenter) and scheme. */
  holder_name: string;
  holder_id_number: string;
  relative_name: string;
  relative_id_number: string;
  relative_scheme: string;
}

const LINK = `SELECT l.id::int AS id, l.holder_id::int AS holder_id, l.relative_id::int AS relative_id, l.relation, l.status, l.created_by, l.created_at, l.ended_at,
  h.name AS holder_name, h.id_number AS holder_id_number, r.name AS relative_name, r.id_number AS relative_id_number, r.scheme AS relative_scheme
  FROM family_links l JOIN persons h ON h.id = l.holder_id JOIN persons r ON r.id = l.relative_id`;

export async function insertLink(q: Queryable, link: { holderId: number; relativeId: number; relation: SharingRelation; actor: string }): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `WITH l AS (INSERT INTO family_links (holder_id, relative_id, relation, created_by) VALUES ($1, $2, $3, $4) RETURNING id),
     au AS (INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $4, 'account.link', 'person', $1::text, json_build_object('linkId', l.id, 'holderId', $1::bigint, 'relativeId', $2::bigint, 'relation', $3::text)::jsonb FROM l)
     SELECT id::int AS id FROM l`,
    [link.holderId, link.relativeId, link.relation, link.actor],
  );
  return rows[0]!.id;
}

/** Ends an active link; false when there was none. */
export async function endLink(q: Queryable, id: number, actor: string): Promise<boolean> {
  const rows = await q.query<{ id: number }>(
    `WITH l AS (UPDATE family_links SET status = 'ended', ended_by = $2, ended_at = now() WHERE id = $1 AND status = 'active' RETURNING id, holder_id, relative_id),
     au AS (INSERT INTO audit_log (actor, action, entity, entity_id, detail)
       SELECT $2, 'account.unlink', 'person', l.holder_id::text, json_build_object('linkId', l.id, 'holderId', l.holder_id, 'relativeId', l.relative_id)::jsonb FROM l)
     SELECT id::int AS id FROM l`,
    [id, actor],
  );
  return rows.length > 0;
}

export async function findLink(q: Queryable, id: number): Promise<LinkRow | undefined> {
  return (await q.query<LinkRow & Record<string, unknown>>(`${LINK} WHERE l.id = $1`, [id]))[0];
}

export async function findActiveLink(q: Queryable, holderId: number, relativeId: number): Promise<LinkRow | undefined> {
  return (await q.query<LinkRow & Record<string, unknown>>(`${LINK} WHERE l.holder_id = $1 AND l.relative_id = $2 AND l.status = 'active'`, [holderId, relativeId]))[0];
}

/** Every link a person is part of, as holder or relative (active first, then ended). */
export async function linksOf(q: Queryable, personId: number): Promise<LinkRow[]> {
  return q.query<LinkRow & Record<string, unknown>>(
    `${LINK} WHERE l.holder_id = $1 OR l.relative_id = $1 ORDER BY l.status, l.id`,
    [personId],
  );
}

/** The holders whose accounts may pay this person's bills, in the order they linked. */
export async function sharingHolders(q: Queryable, relativeId: number): Promise<{ holder_id: number; relation: SharingRelation }[]> {
  return q.query<{ holder_id: number; relation: SharingRelation }>(
    `SELECT holder_id::int AS holder_id, relation FROM family_links WHERE relative_id = $1 AND status = 'active' ORDER BY id`,
    [relativeId],
  );
}
