/** Staff sign-in, lock-out, expiry, roles and division scope, on a real database. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, coversDivision, permissionsOf } from '../src/domain/access.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { DEMO_PASSWORD } from '../src/demo/staff.ts';
import { login, sessionStaff, SESSION_IDLE_MINUTES } from '../src/service/staff-auth.ts';
import type { TestDb } from './support/db.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: [] });
  ({ t, app } = testApp);
});
afterAll(() => testApp?.close());

describe('staff sign-in', () => {
  it('signs in with the right password, sets an httpOnly cookie, and answers /me', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'station1', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toMatch(/^sanbao_staff=[^;]+; HttpOnly; SameSite=Strict/);
    const me = await app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: { authorization: `Bearer ${res.json().token}` } });
    expect(me.json()).toMatchObject({ username: 'station1', role: 'station_clerk', divisionCode: '513330001' });
    expect(me.json().items).toContain('enrollment_registration');
    expect(me.json().permissions).not.toContain('monitoring.write');
  });

  it('locks the account after five wrong passwords, even against the right one', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'auditor', password: 'wrong-password' } });
      expect(res.statusCode).toBe(401);
    }
    const locked = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'auditor', password: DEMO_PASSWORD } });
    expect(locked.statusCode).toBe(403);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'staff.%' AND entity_id = (SELECT id::text FROM staff_users WHERE username = 'auditor')`);
    expect(audit.map((a) => a.action)).toContain('staff.locked');
  });

  it('expires an idle session and ends a signed-out one', async () => {
    const now = new Date();
    const { token } = await login(t.db, 'clerk', DEMO_PASSWORD, now);
    await expect(sessionStaff(t.db, token, new Date(now.getTime() + (SESSION_IDLE_MINUTES - 1) * 60_000))).resolves.toMatchObject({ username: 'clerk' });
    await expect(sessionStaff(t.db, token, new Date(now.getTime() + (2 * SESSION_IDLE_MINUTES + 1) * 60_000))).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    const second = await login(t.db, 'clerk', DEMO_PASSWORD);
    await app.inject({ method: 'POST', url: '/api/v1/staff/logout', headers: { authorization: `Bearer ${second.token}` } });
    const me = await app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: { authorization: `Bearer ${second.token}` } });
    expect(me.statusCode).toBe(401);
  });
});

describe('roles and scope (pure)', () => {
  it('gives each role what the brief says', () => {
    expect(can({ role: 'auditor', items: [] }, 'audit.read')).toBe(true);
    expect(can({ role: 'auditor', items: [] }, 'person.write')).toBe(false);
    expect(can({ role: 'bureau_clerk', items: [] }, 'staff.admin')).toBe(false);
    expect(can({ role: 'department_liaison', items: [] }, 'case.determine')).toBe(true);
    expect([...permissionsOf({ role: 'station_clerk', items: ['out_of_area_filing'] })].sort()).toEqual(['filing.write', 'person.read']);
  });

  it('scopes a township station to its township', () => {
    const station = { divisionCode: '513330001' };
    expect(coversDivision(station, '513330001002')).toBe(true);
    expect(coversDivision(station, '513330002001')).toBe(false);
    expect(coversDivision({ divisionCode: '513330' }, '513330002001')).toBe(true);
  });
});
