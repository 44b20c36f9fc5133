/**
 * The national interface's messages: a msgid answered once — its retry gets
 * the first answer whole, another request under it is refused — and the
 * sign-in (9001) every other transaction names by its sign_no.
 */
import { createHash, randomBytes } from 'node:crypto';
import { conflict, DomainError } from '../../domain/errors.ts';
import type { Db } from '../../store/db.ts';
import { audit } from '../../store/repositories/audit.ts';
import type { FacilityRow } from '../../store/repositories/facilities.ts';
import { findFsiMessage, insertFsiMessage, insertSignIn, signInExists } from '../../store/repositories/fsi-messages.ts';

/** What identifies a request under its msgid: the transaction and its content, not the times or the sign-in it travelled with. */
export function fsiRequestHash(parts: { infno: string; input: unknown; mdtrtarea_admvs: string; insuplc_admdvs: string }): string {
  return createHash('sha256').update(canonical(parts)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The first answer to this msgid, when there was one; a different request under it is refused. */
export async function earlierAnswer(db: Db, facility: FacilityRow, msgid: string, hash: string): Promise<Record<string, unknown> | undefined> {
  const found = await findFsiMessage(db, facility.id, msgid);
  if (!found) return undefined;
  if (found.request_hash !== hash) {
    throw conflict('MSGID_CONFLICT', `msgid ${msgid} was answered before (infno ${found.infno}) for a different request; send a new msgid`, 'msgid');
  }
  return found.response;
}

/** Records the answer; when a concurrent retry recorded one first, that one is the answer. */
export async function recordAnswer(
  db: Db, facility: FacilityRow, m: { msgid: string; infno: string; hash: string; response: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  const inserted = await insertFsiMessage(db, { facilityId: facility.id, msgid: m.msgid, infno: m.infno, requestHash: m.hash, response: m.response });
  if (inserted) return m.response;
  return (await earlierAnswer(db, facility, m.msgid, m.hash)) ?? m.response;
}

/** 9001: a new sign_no for the operator at this facility. */
export async function signIn(db: Db, facility: FacilityRow, opter: string): Promise<{ signNo: string; signedAt: Date }> {
  const signNo = `${facility.code}${Date.now().toString(36).toUpperCase()}${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 40);
  return db.transaction(async (tx) => {
    const signedAt = await insertSignIn(tx, { signNo, facilityId: facility.id, opter });
    await audit(tx, { actor: `facility:${facility.code}`, action: 'fsi.sign_in', entity: 'facility', entityId: facility.id, detail: { signNo, opter } });
    return { signNo, signedAt };
  });
}

/** Every transaction but 9001 travels with a sign_no this facility got from 9001. */
export async function requireSignIn(db: Db, facility: FacilityRow, signNo: string): Promise<void> {
  if (!signNo) throw new DomainError('unauthorized', 'SIGN_IN_REQUIRED', 'is missing: sign in with 9001 first', 'sign_no');
  if (!(await signInExists(db, facility.id, signNo))) {
    throw new DomainError('unauthorized', 'UNKNOWN_SIGN_NO', `${signNo} is not a sign-in of this facility (9001)`, 'sign_no');
  }
}
