/** Staff accounts, the sign-in throttle (per username, existing or not) and the first set-up token. */
import type { Role } from '../../domain/access.ts';
import type { Queryable } from '../db.ts';

export interface StaffAccountRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  division_code: string;
  department: string | null;
  active: boolean;
  must_change_password: boolean;
  created_at: Date;
  password_changed_at: Date | null;
  disabled_at: Date | null;
}

const COLUMNS = `id, username, display_name, password_hash, role, division_code, department, active, must_change_password,
  created_at, password_changed_at, disabled_at`;

export async function findStaffByUsername(q: Queryable, username: string): Promise<StaffAccountRow | undefined> {
  const rows = await q.query<StaffAccountRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM staff_users WHERE username = $1`, [username]);
  return rows[0];
}

export async function findStaffById(q: Queryable, id: number): Promise<StaffAccountRow | undefined> {
  const rows = await q.query<StaffAccountRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM staff_users WHERE id = $1`, [id]);
  return rows[0];
}

/** Locks the account's row for the rest of the transaction (two admins changing one account serialize). */
export async function lockStaffByUsername(q: Queryable, username: string): Promise<StaffAccountRow | undefined> {
  const rows = await q.query<StaffAccountRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM staff_users WHERE username = $1 FOR UPDATE`, [username]);
  return rows[0];
}

export interface StaffListRow extends Omit<StaffAccountRow, 'password_hash'> {
  locked_until: Date | null;
}

/** Every account inside a division (the code or below it), with the sign-in lock if one holds now. */
export async function listStaffAccounts(q: Queryable, divisionPrefix: string, now: Date): Promise<StaffListRow[]> {
  return q.query<StaffListRow & Record<string, unknown>>(
    `SELECT u.id, u.username, u.display_name, u.role, u.division_code, u.department, u.active, u.must_change_password,
            u.created_at, u.password_changed_at, u.disabled_at,
            CASE WHEN t.locked_until > $2 THEN t.locked_until END AS locked_until
     FROM staff_users u LEFT JOIN staff_sign_in_throttle t ON t.username = u.username
     WHERE starts_with(u.division_code, $1) ORDER BY u.username`,
    [divisionPrefix, now],
  );
}

export async function divisionExists(q: Queryable, code: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM divisions WHERE code = $1', [code])).length > 0;
}

/** The county itself, made by the first administrator on a database that has no divisions yet. */
export async function insertCounty(q: Queryable, code: string, name: string): Promise<void> {
  await q.query('INSERT INTO divisions (code, name, level, parent_code) VALUES ($1, $2, 1, NULL)', [code, name]);
}

export async function countStaff(q: Queryable): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_users');
  return row!.n;
}

export async function insertStaff(
  q: Queryable,
  s: { username: string; displayName: string; passwordHash: string; role: Role; divisionCode: string; department: string | null; mustChangePassword: boolean },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO staff_users (username, display_name, password_hash, role, division_code, department, must_change_password)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [s.username, s.displayName, s.passwordHash, s.role, s.divisionCode, s.department, s.mustChangePassword],
  );
  return rows[0]!.id;
}

export async function setStaffPassword(q: Queryable, id: number, passwordHash: string, mustChange: boolean, now: Date): Promise<void> {
  await q.query('UPDATE staff_users SET password_hash = $2, must_change_password = $3, password_changed_at = $4 WHERE id = $1', [
    id, passwordHash, mustChange, now,
  ]);
}

export async function setStaffActive(q: Queryable, id: number, active: boolean, now: Date): Promise<void> {
  await q.query('UPDATE staff_users SET active = $2, disabled_at = CASE WHEN $2 THEN NULL ELSE $3::timestamptz END WHERE id = $1', [id, active, now]);
}

export async function setStaffRole(q: Queryable, id: number, r: { role: Role; divisionCode: string; department: string | null }): Promise<void> {
  await q.query('UPDATE staff_users SET role = $2, division_code = $3, department = $4 WHERE id = $1', [id, r.role, r.divisionCode, r.department]);
}

/** Ends every open session of an account (disabled, password reset or changed, role changed). */
export async function endStaffSessions(q: Queryable, staffId: number, exceptTokenHash?: string): Promise<void> {
  await q.query('UPDATE staff_sessions SET ended_at = now() WHERE staff_id = $1 AND ended_at IS NULL AND token_hash <> $2', [staffId, exceptTokenHash ?? '']);
}

export async function countActiveAdmins(q: Queryable): Promise<number> {
  const [row] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM staff_users WHERE role = 'bureau_admin' AND active`);
  return row!.n;
}

// ---- the sign-in throttle ----

/**
 * Counts one sign-in attempt for a username before its password is checked, in
 * one statement (so parallel attempts each get their own number); a lock that
 * has run out starts the count again. Returns the attempt's number and the lock.
 */
export async function claimSignInAttempt(q: Queryable, username: string, now: Date): Promise<{ failures: number; locked_until: Date | null }> {
  const rows = await q.query<{ failures: number; locked_until: Date | null }>(
    `INSERT INTO staff_sign_in_throttle AS t (username, failures, updated_at) VALUES ($1, 1, $2)
     ON CONFLICT (username) DO UPDATE SET
       failures = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= $2 THEN 1 ELSE t.failures + 1 END,
       locked_until = CASE WHEN t.locked_until <= $2 THEN NULL ELSE t.locked_until END,
       updated_at = $2
     RETURNING failures, locked_until`,
    [username, now],
  );
  return rows[0]!;
}

export async function lockSignIn(q: Queryable, username: string, until: Date): Promise<boolean> {
  const rows = await q.query('UPDATE staff_sign_in_throttle SET locked_until = $2 WHERE username = $1 AND locked_until IS NULL RETURNING 1', [username, until]);
  return rows.length > 0;
}

/** A successful sign-in (or an administrator's reset) clears the count; stale rows of others go too. */
export async function clearSignInAttempts(q: Queryable, username: string, now: Date): Promise<void> {
  await q.query(
    `DELETE FROM staff_sign_in_throttle WHERE username = $1
       OR (updated_at < $2::timestamptz - interval '1 day' AND (locked_until IS NULL OR locked_until < $2))`,
    [username, now],
  );
}

// ---- the first set-up token ----

export async function replaceSetupToken(q: Queryable, tokenHash: string, expiresAt: Date): Promise<void> {
  await q.query('DELETE FROM staff_setup_tokens WHERE used_at IS NULL');
  await q.query('INSERT INTO staff_setup_tokens (token_hash, expires_at) VALUES ($1, $2)', [tokenHash, expiresAt]);
}

/** Marks the token used if it is unused and unexpired; returns whether it was. */
export async function consumeSetupToken(q: Queryable, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await q.query(
    'UPDATE staff_setup_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING 1',
    [tokenHash, now],
  );
  return rows.length > 0;
}

export async function recordSetupTokenUser(q: Queryable, tokenHash: string, staffId: number): Promise<void> {
  await q.query('UPDATE staff_setup_tokens SET used_by = $2 WHERE token_hash = $1', [tokenHash, staffId]);
}

export async function hasOpenSetupToken(q: Queryable, now: Date): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM staff_setup_tokens WHERE used_at IS NULL AND expires_at > $1', [now]);
  return rows.length > 0;
}
