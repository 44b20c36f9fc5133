/**
 * Every staff route asks this guard: who is signed in, may they do this, and
 * is the division theirs. The server decides; the console only mirrors it.
 */
import type { FastifyRequest } from 'fastify';
import { can, coversDivision, type Permission, type StaffContext } from '../domain/access.ts';
import { forbidden, unauthorized } from '../domain/errors.ts';
import { bearerToken } from './auth.ts';
import { sessionStaff } from '../service/staff-auth.ts';
import type { Queryable } from '../store/db.ts';

export const SESSION_COOKIE = 'sanbao_staff';

export function sessionToken(request: FastifyRequest): string | undefined {
  const bearer = bearerToken(request);
  if (bearer !== undefined) return bearer;
  const cookie = request.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** The signed-in staff member, who must hold the permission. */
export async function requireStaff(q: Queryable, request: FastifyRequest, permission: Permission): Promise<StaffContext> {
  const token = sessionToken(request);
  if (!token) throw unauthorized('SIGN_IN_REQUIRED', 'sign in as staff first');
  const staff = await sessionStaff(q, token);
  if (!can(staff, permission)) {
    throw forbidden('NOT_PERMITTED', `role ${staff.role} may not ${permission}${staff.role === 'station_clerk' ? ' (not delegated to this station)' : ''}`);
  }
  return staff;
}

/** Refuses work on a division outside the staff member's own (a township station sees only its township). */
export function requireDivision(staff: StaffContext, divisionCode: string): void {
  if (!coversDivision(staff, divisionCode)) {
    throw forbidden('OUTSIDE_DIVISION', `division ${divisionCode} is outside your area (${staff.divisionCode})`);
  }
}
