/**
 * Every change to a person or a household of the register is audited with the
 * fields before and after (only those that changed). The audit log keeps them
 * whole, for the bureau to answer "who changed what"; the console's audit view
 * masks names and phones like every other list (maskAuditDetail).
 */
import { maskIdNumber, maskName, maskPhone } from '../domain/privacy.ts';
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';

export interface PersonFields {
  readonly name: string;
  readonly nameBo: string | null;
  readonly phone: string | null;
  readonly relation: string | null;
  readonly divisionCode: string;
  readonly householdCode: string | null;
}

type Changes = { before: Partial<PersonFields>; after: Partial<PersonFields> };

export function changedFields(before: PersonFields, after: PersonFields): Changes | null {
  const out: Changes = { before: {}, after: {} };
  let any = false;
  for (const key of Object.keys(after) as (keyof PersonFields)[]) {
    if (before[key] !== after[key]) {
      (out.before as Record<string, unknown>)[key] = before[key];
      (out.after as Record<string, unknown>)[key] = after[key];
      any = true;
    }
  }
  return any ? out : null;
}

export async function auditPersonCreated(q: Queryable, actor: string, personId: number, after: PersonFields, via: string): Promise<void> {
  await audit(q, { actor, action: 'person.create', entity: 'person', entityId: personId, detail: { via, after } });
}

/** Audits a change to a person; nothing when nothing changed. Returns whether something did. */
export async function auditPersonChanged(q: Queryable, actor: string, personId: number, before: PersonFields, after: PersonFields, via: string): Promise<boolean> {
  const changes = changedFields(before, after);
  if (!changes) return false;
  await audit(q, { actor, action: 'person.update', entity: 'person', entityId: personId, detail: { via, ...changes } });
  return true;
}

const MASKS: Record<string, (value: string) => string> = { name: maskName, nameBo: maskName, phone: maskPhone, idNumber: maskIdNumber };

/** An audit entry's detail for a list: names, phones and ID numbers in before/after masked. */
export function maskAuditDetail(detail: unknown): unknown {
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return detail;
  const out: Record<string, unknown> = { ...(detail as Record<string, unknown>) };
  for (const side of ['before', 'after'] as const) {
    const values = out[side];
    if (values === null || typeof values !== 'object') continue;
    out[side] = Object.fromEntries(
      Object.entries(values as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' && MASKS[k] ? MASKS[k](v) : v]),
    );
  }
  return out;
}
