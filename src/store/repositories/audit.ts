/** The audit log: every change to a person, an identity or a payment, with who did it. */
import type { Queryable } from '../db.ts';

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | number;
  /** Never a name, ID number or phone: ids and amounts only. */
  readonly detail?: Record<string, unknown>;
}

export async function audit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query('INSERT INTO audit_log (actor, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5)', [
    entry.actor,
    entry.action,
    entry.entity,
    String(entry.entityId),
    JSON.stringify(entry.detail ?? {}),
  ]);
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  detail: Record<string, unknown>;
}

export async function listAudit(
  q: Queryable,
  filter: { entity?: string; entityId?: string; limit?: number } = {},
): Promise<AuditRow[]> {
  return q.query<AuditRow & Record<string, unknown>>(
    `SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log
     WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2)
     ORDER BY id DESC LIMIT $3`,
    [filter.entity ?? null, filter.entityId ?? null, filter.limit ?? 100],
  );
}

/** Many entries in one statement (imports of thousands of rows), in the order given. */
export async function auditMany(q: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await q.query(
    `INSERT INTO audit_log (actor, action, entity, entity_id, detail)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
    [
      entries.map((e) => e.actor),
      entries.map((e) => e.action),
      entries.map((e) => e.entity),
      entries.map((e) => String(e.entityId)),
      entries.map((e) => JSON.stringify(e.detail ?? {})),
    ],
  );
}
