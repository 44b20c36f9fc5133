/**
 * Staff sign-in: scrypt password hashes, sessions that expire (idle and
 * absolute), lock-out after repeated failures. Session tokens are random;
 * only their SHA-256 is stored.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { forbidden, invalid, unauthorized } from '../domain/errors.ts';
import { ROLES, type Role, type StaffContext } from '../domain/access.ts';
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const SCRYPT = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;
export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(actual, expected);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function checkPasswordStrength(password: string): void {
  if (password.length < 10) throw invalid('WEAK_PASSWORD', 'a password needs at least 10 characters', 'password');
}

export async function createStaff(
  q: Queryable,
  s: { username: string; displayName: string; password: string; role: Role; divisionCode: string; department?: string | null },
  actor: string,
): Promise<number> {
  if (!ROLES.includes(s.role)) throw invalid('INVALID_ROLE', `role must be one of ${ROLES.join(', ')}`, 'role');
  checkPasswordStrength(s.password);
  const rows = await q.query<{ id: number }>(
    `INSERT INTO staff_users (username, display_name, password_hash, role, division_code, department)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [s.username, s.displayName, await hashPassword(s.password), s.role, s.divisionCode, s.department ?? null],
  );
  const id = rows[0]!.id;
  await audit(q, { actor, action: 'staff.create', entity: 'staff', entityId: id, detail: { username: s.username, role: s.role, division: s.divisionCode } });
  return id;
}

interface StaffRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  division_code: string;
  department: string | null;
  failed_attempts: number;
  locked_until: Date | null;
  active: boolean;
}

/** Signs in; returns a session token. Five failures lock the account for fifteen minutes. */
export async function login(q: Queryable, username: string, password: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const [user] = await q.query<StaffRow & Record<string, unknown>>('SELECT * FROM staff_users WHERE username = $1', [username]);
  const refused = unauthorized('INVALID_CREDENTIALS', 'wrong username or password');
  if (!user || !user.active) {
    await verifyPassword(password, 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='); // same cost either way
    throw refused;
  }
  if (user.locked_until && new Date(user.locked_until) > now) {
    throw forbidden('ACCOUNT_LOCKED', `too many failed sign-ins; try again after ${new Date(user.locked_until).toISOString()}`);
  }
  if (!(await verifyPassword(password, user.password_hash))) {
    const attempts = user.failed_attempts + 1;
    const lock = attempts >= MAX_FAILED_ATTEMPTS ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
    await q.query('UPDATE staff_users SET failed_attempts = $2, locked_until = $3 WHERE id = $1', [user.id, lock ? 0 : attempts, lock]);
    await audit(q, { actor: `staff:${user.username}`, action: lock ? 'staff.locked' : 'staff.login_failed', entity: 'staff', entityId: user.id });
    throw refused;
  }
  await q.query('UPDATE staff_users SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [user.id]);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_MAX_HOURS * 3_600_000);
  await q.query('INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)', [
    tokenHash(token),
    user.id,
    now,
    expiresAt,
  ]);
  await audit(q, { actor: `staff:${user.username}`, action: 'staff.login', entity: 'staff', entityId: user.id });
  return { token, expiresAt };
}

/** The staff member behind a session token, or an unauthorized error when it has ended or expired. */
export async function sessionStaff(q: Queryable, token: string, now = new Date()): Promise<StaffContext> {
  const [row] = await q.query<{
    id: number; username: string; role: Role; division_code: string; department: string | null;
    last_seen_at: Date; expires_at: Date; ended_at: Date | null; active: boolean;
  }>(
    `SELECT u.id, u.username, u.role, u.division_code, u.department, u.active, s.last_seen_at, s.expires_at, s.ended_at
     FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_id WHERE s.token_hash = $1`,
    [tokenHash(token)],
  );
  const idleLimit = now.getTime() - SESSION_IDLE_MINUTES * 60_000;
  if (!row || row.ended_at || !row.active || new Date(row.expires_at) <= now || new Date(row.last_seen_at).getTime() < idleLimit) {
    throw unauthorized('SESSION_EXPIRED', 'sign in again: the session has ended or expired');
  }
  await q.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash(token), now]);
  const items =
    row.role === 'station_clerk'
      ? (await q.query<{ item: string }>('SELECT item FROM station_delegations WHERE division_code = $1', [row.division_code])).map((r) => r.item)
      : [];
  return { id: row.id, username: row.username, role: row.role, divisionCode: row.division_code, department: row.department, items };
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
