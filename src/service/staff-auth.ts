/**
 * Staff sign-in: scrypt password hashes, sessions that expire (idle and
 * absolute), lock-out after repeated failures. Session tokens are random;
 * only their SHA-256 is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { forbidden, invalid, unauthorized } from '../domain/errors.ts';
import { ROLES, type Role, type StaffContext } from '../domain/access.ts';
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { claimSignInAttempt, clearSignInAttempts, findStaffByUsername, insertStaff, lockSignIn, setStaffPassword } from '../store/repositories/staff.ts';
import { checkPasswordStrength, dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';

export { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;
export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Creates an account. `passwordHash` lets a caller that makes many accounts with
 * one known password (the demo) pay for the hash once.
 */
export async function createStaff(
  q: Queryable,
  s: {
    username: string; displayName: string; password: string; role: Role; divisionCode: string; department?: string | null;
    mustChangePassword?: boolean; passwordHash?: string;
  },
  actor: string,
): Promise<number> {
  if (!ROLES.includes(s.role)) throw invalid('INVALID_ROLE', `role must be one of ${ROLES.join(', ')}`, 'role');
  if (!s.passwordHash) checkPasswordStrength(s.password, s.username);
  const id = await insertStaff(q, {
    username: s.username, displayName: s.displayName, passwordHash: s.passwordHash ?? (await hashPassword(s.password)), role: s.role,
    divisionCode: s.divisionCode, department: s.department ?? null, mustChangePassword: s.mustChangePassword ?? false,
  });
  await audit(q, { actor, action: 'staff.create', entity: 'staff', entityId: id, detail: { username: s.username, role: s.role, division: s.divisionCode } });
  return id;
}

const lockedOut = (until: Date, now: Date) =>
  forbidden('ACCOUNT_LOCKED', `too many failed sign-ins; try again in ${Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000))} minutes`);

/**
 * Signs in; returns a session token. Each attempt is counted before the
 * password is checked, in one statement, so parallel attempts cannot slip past
 * the count; the fifth failure locks the username for fifteen minutes. Unknown
 * and disabled usernames are counted, checked (against a hash of the same cost)
 * and answered exactly like known ones, so sign-in never tells who has an account.
 */
export async function login(q: Queryable, username: string, password: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const claim = await claimSignInAttempt(q, username, now);
  if (claim.locked_until && new Date(claim.locked_until) > now) throw lockedOut(new Date(claim.locked_until), now);
  // Attempts beyond the allowance that were in flight together: refused unchecked.
  if (claim.failures > MAX_FAILED_ATTEMPTS) throw lockedOut(new Date(now.getTime() + LOCK_MINUTES * 60_000), now);
  const user = await findStaffByUsername(q, username);
  const usable = user && user.active ? user : undefined;
  const ok = await verifyPassword(password, usable ? usable.password_hash : await dummyHash());
  if (!usable || !ok) {
    const locks = claim.failures >= MAX_FAILED_ATTEMPTS && (await lockSignIn(q, username, new Date(now.getTime() + LOCK_MINUTES * 60_000)));
    await audit(q, {
      actor: `staff:${username}`, action: locks ? 'staff.locked' : 'staff.login_failed', entity: 'staff', entityId: user?.id ?? '-',
      detail: user ? {} : { unknownUsername: true },
    });
    throw unauthorized('INVALID_CREDENTIALS', 'wrong username or password');
  }
  await clearSignInAttempts(q, username, now);
  if (needsRehash(usable.password_hash)) {
    await setStaffPassword(q, usable.id, await hashPassword(password), usable.must_change_password, usable.password_changed_at ?? now);
    await audit(q, { actor: `staff:${usable.username}`, action: 'staff.password_rehash', entity: 'staff', entityId: usable.id });
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_MAX_HOURS * 3_600_000);
  await q.query('INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)', [
    tokenHash(token),
    usable.id,
    now,
    expiresAt,
  ]);
  await audit(q, { actor: `staff:${usable.username}`, action: 'staff.login', entity: 'staff', entityId: usable.id });
  return { token, expiresAt };
}

/** A session's staff member, and whether they must change their password before anything else. */
export interface StaffSession extends StaffContext {
  readonly mustChangePassword: boolean;
}

/** The staff member behind a session token, or an unauthorized error when it has ended or expired. */
export async function sessionStaff(
  q: Queryable,
  token: string,
  now = new Date(),
  options: { allowPasswordChange?: boolean } = {},
): Promise<StaffSession> {
  const [row] = await q.query<{
    id: number; username: string; role: Role; division_code: string; department: string | null;
    last_seen_at: Date; expires_at: Date; ended_at: Date | null; active: boolean; must_change_password: boolean;
  }>(
    `SELECT u.id, u.username, u.role, u.division_code, u.department, u.active, u.must_change_password, s.last_seen_at, s.expires_at, s.ended_at
     FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_id WHERE s.token_hash = $1`,
    [tokenHash(token)],
  );
  const idleLimit = now.getTime() - SESSION_IDLE_MINUTES * 60_000;
  if (!row || row.ended_at || !row.active || new Date(row.expires_at) <= now || new Date(row.last_seen_at).getTime() < idleLimit) {
    throw unauthorized('SESSION_EXPIRED', 'sign in again: the session has ended or expired');
  }
  if (row.must_change_password && !options.allowPasswordChange) {
    throw forbidden('PASSWORD_CHANGE_REQUIRED', 'change your password first (POST /api/v1/staff/password)');
  }
  await q.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash(token), now]);
  const items =
    row.role === 'station_clerk'
      ? (await q.query<{ item: string }>('SELECT item FROM station_delegations WHERE division_code = $1', [row.division_code])).map((r) => r.item)
      : [];
  return {
    id: row.id, username: row.username, role: row.role, divisionCode: row.division_code, department: row.department, items,
    mustChangePassword: row.must_change_password,
  };
}

export async function logout(q: Queryable, token: string): Promise<void> {
  await q.query('UPDATE staff_sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL', [tokenHash(token)]);
}

/** The bureau sets which items a station may handle. */
export async function setDelegations(q: Queryable, divisionCode: string, items: readonly string[], actor: StaffContext): Promise<void> {
  await q.query('DELETE FROM station_delegations WHERE division_code = $1', [divisionCode]);
  for (const item of items) {
    await q.query('INSERT INTO station_delegations (division_code, item, granted_by) VALUES ($1, $2, $3)', [divisionCode, item, actor.id]);
  }
  await audit(q, { actor: `staff:${actor.username}`, action: 'station.delegations', entity: 'division', entityId: divisionCode, detail: { items } });
}
