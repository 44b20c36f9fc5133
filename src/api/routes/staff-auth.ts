/** Staff sign-in and sign-out; the session travels as an httpOnly cookie or a bearer token. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { permissionsOf } from '../../domain/access.ts';
import { login, logout, sessionStaff } from '../../service/staff-auth.ts';
import type { Db } from '../../store/db.ts';
import { parseWith } from '../errors.ts';
import { SESSION_COOKIE, sessionToken } from '../staff-guard.ts';
import { unauthorized } from '../../domain/errors.ts';

const loginSchema = z.strictObject({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) });

export function staffAuthRoutes(app: FastifyInstance, deps: { db: Db }): void {
  app.post('/api/v1/staff/login', async (request, reply) => {
    const body = parseWith(loginSchema, request.body);
    // Not one transaction: a refused attempt must still count towards the lock-out.
    const session = await login(deps.db, body.username.toLowerCase(), body.password);
    void reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${session.token}; HttpOnly; SameSite=Strict; Path=/; Expires=${session.expiresAt.toUTCString()}`,
    );
    const staff = await sessionStaff(deps.db, session.token);
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), staff: { ...staff, permissions: [...permissionsOf(staff)] } };
  });

  app.get('/api/v1/staff/me', async (request) => {
    const token = sessionToken(request);
    if (!token) throw unauthorized('SIGN_IN_REQUIRED', 'sign in as staff first');
    const staff = await sessionStaff(deps.db, token);
    return { ...staff, permissions: [...permissionsOf(staff)] };
  });

  app.post('/api/v1/staff/logout', async (request, reply) => {
    const token = sessionToken(request);
    if (token) await logout(deps.db, token);
    void reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  });
}

