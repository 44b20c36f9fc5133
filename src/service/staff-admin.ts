/**
 * Staff administration (issue 9), one service for the CLI and the bureau
 * admin's console: add, list, disable, enable, reset a password, set the role.
 * A new or reset password is temporary: it must be changed at first sign-in.
 * Every change is audited; an administrator acts only inside their division
 * and can never leave the county without an active bureau admin.
 */
import { randomInt } from 'node:crypto';
import { coversDivision, ROLES, type Role } from '../domain/access.ts';
import { conflict, forbidden, invalid, notFound, unauthorized } from '../domain/errors.ts';
import { DEPARTMENTS } from '../domain/vocabulary.ts';
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import {
  clearSignInAttempts, countActiveAdmins, divisionExists, endStaffSessions, findStaffById, insertStaff, listStaffAccounts, lockStaffByUsername,
  setStaffActive, setStaffPassword, setStaffRole, type StaffAccountRow, type StaffListRow,
} from '../store/repositories/staff.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';

/** Who administers: a signed-in bureau admin (scoped to their division) or the command line (the whole database). */
export interface StaffAdministrator {
  readonly actor: string; // 'cli' or 'staff:USERNAME'
  readonly staffId: number | null;
  readonly divisionCode: string | null; // null: every division
}

export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,40}$/;

export interface RoleAssignment {
  readonly role: Role;
  readonly divisionCode: string;
  readonly department?: string | null;
}

export interface NewStaff extends RoleAssignment {
  readonly username: string;
  readonly displayName: string;
  /** Omitted: a temporary password is made and returned once. */
  readonly password?: string;
  /** Only the first administrator, who chose their own password at set-up, skips the change at first sign-in. */
  readonly mustChangePassword?: boolean;
}

/** A temporary password: 16 letters and digits without look-alikes, in groups of four. */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const chars = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

function inScope(admin: StaffAdministrator, divisionCode: string): boolean {
  return admin.divisionCode === null || coversDivision({ divisionCode: admin.divisionCode }, divisionCode);
}

async function checkAssignment(q: Queryable, admin: StaffAdministrator, a: RoleAssignment): Promise<{ department: string | null }> {
  if (!ROLES.includes(a.role)) throw invalid('INVALID_ROLE', `role must be one of ${ROLES.join(', ')}`, 'role');
  if (!(await divisionExists(q, a.divisionCode))) throw invalid('UNKNOWN_DIVISION', `no division ${a.divisionCode}`, 'divisionCode');
  if (!inScope(admin, a.divisionCode)) throw forbidden('OUTSIDE_DIVISION', `division ${a.divisionCode} is outside your area (${admin.divisionCode})`);
  const department = a.department ?? null;
  if (department !== null && !(DEPARTMENTS as readonly string[]).includes(department)) {
    throw invalid('INVALID_DEPARTMENT', `department must be one of ${DEPARTMENTS.join(', ')}`, 'department');
  }
  if (a.role === 'department_liaison' && department === null) throw invalid('DEPARTMENT_REQUIRED', 'a department liaison needs a department', 'department');
  if (a.role === 'station_clerk' && a.divisionCode.length !== 9) {
    throw invalid('STATION_NEEDS_TOWNSHIP', 'a station clerk belongs to a township (a 9-digit division code)', 'divisionCode');
  }
  return { department: a.role === 'department_liaison' ? department : null };
}

async function accountInScope(q: Queryable, admin: StaffAdministrator, username: string): Promise<StaffAccountRow> {
  const user = await lockStaffByUsername(q, username);
  if (!user || !inScope(admin, user.division_code)) throw notFound('UNKNOWN_STAFF', `no staff account ${username}`, 'username');
  return user;
}

/** Creates an account; returns its id and, when none was given, the temporary password (shown once). */
export async function addStaff(q: Queryable, admin: StaffAdministrator, s: NewStaff): Promise<{ id: number; temporaryPassword?: string }> {
  const username = s.username.toLowerCase();
  if (!USERNAME_PATTERN.test(username)) throw invalid('INVALID_USERNAME', 'a username is 3–40 of a–z, 0–9, "_", "." and "-"', 'username');
  const displayName = s.displayName.trim();
  if (!displayName || displayName.length > 80) throw invalid('INVALID_DISPLAY_NAME', 'a display name of 1–80 characters is required', 'displayName');
  const { department } = await checkAssignment(q, admin, s);
  const temporary = s.password === undefined ? temporaryPassword() : undefined;
  const password = s.password ?? temporary!;
  checkPasswordStrength(password, username);
  if (await lockStaffByUsername(q, username)) throw conflict('STAFF_EXISTS', `staff account ${username} exists already`, 'username');
  const id = await insertStaff(q, {
    username, displayName, passwordHash: await hashPassword(password), role: s.role, divisionCode: s.divisionCode, department,
    mustChangePassword: s.mustChangePassword ?? true,
  });
  await audit(q, { actor: admin.actor, action: 'staff.create', entity: 'staff', entityId: id, detail: { username, role: s.role, division: s.divisionCode, department } });
  return temporary ? { id, temporaryPassword: temporary } : { id };
}

export interface StaffView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  divisionCode: string;
  department: string | null;
  state: 'active' | 'disabled' | 'locked' | 'must_change_password';
  mustChangePassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  passwordChangedAt: string | null;
}

function view(r: StaffListRow): StaffView {
  const state = !r.active ? 'disabled' : r.locked_until ? 'locked' : r.must_change_password ? 'must_change_password' : 'active';
  return {
    id: Number(r.id), username: r.username, displayName: r.display_name, role: r.role, divisionCode: r.division_code, department: r.department,
    state, mustChangePassword: r.must_change_password, lockedUntil: r.locked_until ? new Date(r.locked_until).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(), passwordChangedAt: r.password_changed_at ? new Date(r.password_changed_at).toISOString() : null,
  };
}

export async function listStaff(q: Queryable, admin: StaffAdministrator, now = new Date()): Promise<StaffView[]> {
  return (await listStaffAccounts(q, admin.divisionCode ?? '', now)).map(view);
}

async function refuseLastAdmin(q: Queryable, user: StaffAccountRow, what: string): Promise<void> {
  if (user.role === 'bureau_admin' && user.active && (await countActiveAdmins(q)) <= 1) {
    throw conflict('LAST_ADMIN', `${what} would leave no active bureau admin`, 'username');
  }
}

export async function setStaffEnabled(q: Queryable, admin: StaffAdministrator, username: string, enabled: boolean, now = new Date()): Promise<void> {
  const user = await accountInScope(q, admin, username.toLowerCase());
  if (user.active === enabled) return;
  if (!enabled) {
    if (user.id === admin.staffId) throw conflict('CANNOT_DISABLE_SELF', 'you cannot disable your own account', 'username');
    await refuseLastAdmin(q, user, `disabling ${user.username}`);
  }
  await setStaffActive(q, user.id, enabled, now);
  if (!enabled) await endStaffSessions(q, user.id);
  await audit(q, { actor: admin.actor, action: enabled ? 'staff.enable' : 'staff.disable', entity: 'staff', entityId: user.id, detail: { username: user.username } });
}

/** Sets a temporary password (given, or made and returned once), ends the account's sessions and lifts a sign-in lock. */
export async function resetStaffPassword(
  q: Queryable, admin: StaffAdministrator, username: string, password?: string, now = new Date(),
): Promise<{ temporaryPassword?: string }> {
  const user = await accountInScope(q, admin, username.toLowerCase());
  const temporary = password === undefined ? temporaryPassword() : undefined;
  const chosen = password ?? temporary!;
  checkPasswordStrength(chosen, user.username);
  await setStaffPassword(q, user.id, await hashPassword(chosen), true, now);
  await endStaffSessions(q, user.id);
  await clearSignInAttempts(q, user.username, now);
  await audit(q, { actor: admin.actor, action: 'staff.reset_password', entity: 'staff', entityId: user.id, detail: { username: user.username } });
  return temporary ? { temporaryPassword: temporary } : {};
}

export async function setStaffRoles(q: Queryable, admin: StaffAdministrator, username: string, a: Partial<RoleAssignment>): Promise<StaffView> {
  const user = await accountInScope(q, admin, username.toLowerCase());
  const next: RoleAssignment = {
    role: a.role ?? user.role,
    divisionCode: a.divisionCode ?? user.division_code,
    department: a.department !== undefined ? a.department : user.department,
  };
  const { department } = await checkAssignment(q, admin, next);
  if (user.role === 'bureau_admin' && next.role !== 'bureau_admin') {
    if (user.id === admin.staffId) throw conflict('CANNOT_DEMOTE_SELF', 'you cannot take the bureau admin role from yourself', 'role');
    await refuseLastAdmin(q, user, `changing ${user.username}'s role`);
  }
  await setStaffRole(q, user.id, { role: next.role, divisionCode: next.divisionCode, department });
  // Permissions are read at each request, but a changed role should start from a fresh sign-in.
  await endStaffSessions(q, user.id);
  await audit(q, {
    actor: admin.actor, action: 'staff.set_role', entity: 'staff', entityId: user.id,
    detail: { username: user.username, from: { role: user.role, division: user.division_code, department: user.department }, to: { role: next.role, division: next.divisionCode, department } },
  });
  const updated = await findStaffById(q, user.id);
  return view({ ...updated!, locked_until: null });
}

/** A signed-in member changes their own password: the current one checked, the new one checked, other sessions ended. */
export async function changeOwnPassword(
  q: Queryable, staff: { id: number; username: string }, current: string, next: string, keepTokenHash: string, now = new Date(),
): Promise<void> {
  const user = await findStaffById(q, staff.id);
  if (!user || !user.active) throw unauthorized('SESSION_EXPIRED', 'sign in again: the session has ended or expired');
  if (!(await verifyPassword(current, user.password_hash))) throw invalid('WRONG_PASSWORD', 'the current password is not right', 'currentPassword');
  checkPasswordStrength(next, user.username);
  if (next === current) throw invalid('WEAK_PASSWORD', 'the new password must differ from the current one', 'password');
  await setStaffPassword(q, user.id, await hashPassword(next), false, now);
  await endStaffSessions(q, user.id, keepTokenHash);
  await audit(q, { actor: `staff:${user.username}`, action: 'staff.change_password', entity: 'staff', entityId: user.id });
}
