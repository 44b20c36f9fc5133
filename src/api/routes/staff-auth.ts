/** Staff sign-in and sign-out; the session travels as an httpOnly cookie or a bearer token. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { permissionsOf } from '../../domain/access.ts';
import { login, logout, sessionStaff, tokenHash } from '../../service/staff-auth.ts';
import { changeOwnPassword } from '../../service/staff-admin.ts';
import { completeFirstSetup, setupNeeded } from '../../service/first-setup.ts';
import type { Db } from '../../store/db.ts';
import { parseWith } from '../errors.ts';
import { SESSION_COOKIE, sessionToken } from '../staff-guard.ts';
import { unauthorized } from '../../domain/errors.ts';

const loginSchema = z.strictObject({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) });
export const passwordSchema = z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });
export const setupSchema = z.strictObject({
  token: z.string().min(1).max(100),
  username: z.string().min(1).max(40),
  displayName: z.string().min(1).max(80),
  password: z.string().min(1).max(200),
  divisionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a division code of 6, 9 or 12 digits'),
  countyName: z.string().min(1).max(60).optional(),
});

export function staffAuthRoutes(app: FastifyInstance, deps: { db: Db }): void {
  app.post('/api/v1/staff/login', async (request, reply) => {
    const body = parseWith(loginSchema, request.body);
    // Not one transaction: a refused attempt must still count towards the lock-out.
    const session = await login(deps.db, body.username.toLowerCase(), body.password);
    void reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${session.token}; HttpOnly; SameSite=Strict; Path=/; Expires=${session.expiresAt.toUTCString()}`,
    );
    const staff = await sessionStaff(deps.db, session.token, new Date(), { allowPasswordChange: true });
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), staff: { ...staff, permissions: [...permissionsOf(staff)] } };
  });

  app.get('/api/v1/staff/me', async (request) => {
    const token = sessionToken(request);
    if (!token) throw unauthorized('SIGN_IN_REQUIRED', 'sign in as staff first');
    const staff = await sessionStaff(deps.db, token, new Date(), { allowPasswordChange: true });
    return { ...staff, permissions: [...permissionsOf(staff)] };
  });

  // The one call a member whose password must change may make (besides /me and sign-out).
  app.post('/api/v1/staff/password', async (request) => {
    const token = sessionToken(request);
    if (!token) throw unauthorized('SIGN_IN_REQUIRED', 'sign in as staff first');
    const staff = await sessionStaff(deps.db, token, new Date(), { allowPasswordChange: true });
    const body = parseWith(passwordSchema, request.body);
    await deps.db.transaction((tx) => changeOwnPassword(tx, staff, body.currentPassword, body.newPassword, tokenHash(token)));
    return { ok: true };
  });

  // First set-up: only while the database has no staff, with the token the service printed at start.
  app.get('/api/v1/staff/setup', async () => ({ needed: await setupNeeded(deps.db) }));

  app.post('/api/v1/staff/setup', async (request, reply) => {
    const body = parseWith(setupSchema, request.body);
    const created = await completeFirstSetup(deps.db, body);
    return reply.status(201).send(created);
  });

  app.post('/api/v1/staff/logout', async (request, reply) => {
    const token = sessionToken(request);
    if (token) await logout(deps.db, token);
    void reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  });
}

