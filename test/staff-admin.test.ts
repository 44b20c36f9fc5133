/** Staff administration by the bureau admin (issue 9): add, first sign-in password change, disable, reset, roles; all audited. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { checkPasswordStrength } from '../src/service/passwords.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture } from './support/fixture.ts';

let t: TestDb;
let app: FastifyInstance;
let admin: string;

const signIn = async (username: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password } });
const as = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  admin = (await signIn('admin', DEMO_PASSWORD)).json().token;
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

async function auditOf(username: string): Promise<string[]> {
  const rows = await t.db.query<{ action: string }>(
    `SELECT action FROM audit_log WHERE entity = 'staff' AND entity_id = (SELECT id::text FROM staff_users WHERE username = $1) ORDER BY id`,
    [username],
  );
  return rows.map((r) => r.action);
}

describe('a new account', () => {
  let temporary: string;

  it('is added with a temporary password shown once, and listed with its role, division and state', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/console/staff', headers: as(admin),
      payload: { username: 'Zhuoma', displayName: '卓玛', role: 'station_clerk', divisionCode: '513330001' },
    });
    expect(res.statusCode).toBe(201);
    temporary = res.json().temporaryPassword;
    expect(temporary).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    const list = await app.inject({ method: 'GET', url: '/api/v1/console/staff', headers: as(admin) });
    const row = list.json().items.find((s: { username: string }) => s.username === 'zhuoma');
    expect(row).toMatchObject({ role: 'station_clerk', divisionCode: '513330001', state: 'must_change_password' });
    expect(JSON.stringify(list.json())).not.toContain(temporary);
    expect(JSON.stringify(list.json())).not.toContain('scrypt$');
  });

  it('must change the password at first sign-in: every other call is refused with a clear code until then', async () => {
    const first = await signIn('zhuoma', temporary);
    expect(first.statusCode).toBe(200);
    expect(first.json().staff.mustChangePassword).toBe(true);
    const token = first.json().token;
    const refused = await app.inject({ method: 'GET', url: '/api/v1/console/persons?q=测试', headers: as(token) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: as(token) })).json().mustChangePassword).toBe(true);

    const weak = await app.inject({ method: 'POST', url: '/api/v1/staff/password', headers: as(token), payload: { currentPassword: temporary, newPassword: 'password1234' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'WEAK_PASSWORD', field: 'password' });
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/staff/password', headers: as(token), payload: { currentPassword: 'not-it-at-all', newPassword: 'Gesang-flower-77' } });
    expect(wrong.json().error.code).toBe('WRONG_PASSWORD');

    const changed = await app.inject({ method: 'POST', url: '/api/v1/staff/password', headers: as(token), payload: { currentPassword: temporary, newPassword: 'Gesang-flower-77' } });
    expect(changed.statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: as(token) });
    expect(me.json()).toMatchObject({ username: 'zhuoma', mustChangePassword: false });
    expect((await signIn('zhuoma', temporary)).statusCode).toBe(401);
    expect(await auditOf('zhuoma')).toEqual(['staff.create', 'staff.login', 'staff.change_password', 'staff.login_failed']);
  });

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_users');
    const cases: [Record<string, unknown>, number, string][] = [
      [{ username: 'ab', displayName: 'x', role: 'auditor', divisionCode: '513330' }, 400, 'INVALID_USERNAME'],
      [{ username: 'zhuoma', displayName: 'x', role: 'auditor', divisionCode: '513330' }, 409, 'STAFF_EXISTS'],
      [{ username: 'newone', displayName: 'x', role: 'king', divisionCode: '513330' }, 400, 'INVALID_INPUT'],
      [{ username: 'newone', displayName: 'x', role: 'auditor', divisionCode: '999999' }, 400, 'UNKNOWN_DIVISION'],
      [{ username: 'newone', displayName: 'x', role: 'department_liaison', divisionCode: '513330' }, 400, 'DEPARTMENT_REQUIRED'],
      [{ username: 'newone', displayName: 'x', role: 'station_clerk', divisionCode: '513330' }, 400, 'STATION_NEEDS_TOWNSHIP'],
      [{ username: 'newone', displayName: 'x', role: 'auditor', divisionCode: '540102' }, 403, 'OUTSIDE_DIVISION'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/console/staff', headers: as(admin), payload });
      expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
    }
    const clerk = (await signIn('clerk', DEMO_PASSWORD)).json().token;
    const notAdmin = await app.inject({ method: 'GET', url: '/api/v1/console/staff', headers: as(clerk) });
    expect(notAdmin.statusCode).toBe(403);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_users');
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('disable, enable, reset, roles', () => {
  it('a disabled account is signed out and refused like a wrong password; enabled again it works', async () => {
    const session = (await signIn('auditor', DEMO_PASSWORD)).json().token;
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/staff/auditor/disable', headers: as(admin) });
    expect(res.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: as(session) })).statusCode).toBe(401);
    const refused = await signIn('auditor', DEMO_PASSWORD);
    expect([refused.statusCode, refused.json().error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    await app.inject({ method: 'POST', url: '/api/v1/console/staff/auditor/enable', headers: as(admin) });
    expect((await signIn('auditor', DEMO_PASSWORD)).statusCode).toBe(200);
    expect(await auditOf('auditor')).toEqual(expect.arrayContaining(['staff.disable', 'staff.enable']));
  });

  it('never leaves the county without an active bureau admin, nor lets an admin disable themself', async () => {
    const self = await app.inject({ method: 'POST', url: '/api/v1/console/staff/admin/disable', headers: as(admin) });
    expect([self.statusCode, self.json().error.code]).toEqual([409, 'CANNOT_DISABLE_SELF']);
    const demote = await app.inject({ method: 'PUT', url: '/api/v1/console/staff/admin/role', headers: as(admin), payload: { role: 'auditor' } });
    expect([demote.statusCode, demote.json().error.code]).toEqual([409, 'CANNOT_DEMOTE_SELF']);
  });

  it('a reset gives a temporary password, ends sessions and lifts a lock', async () => {
    const session = (await signIn('rural', DEMO_PASSWORD)).json().token;
    for (let i = 0; i < 5; i++) await signIn('rural', `wrong-password-${i}`);
    expect((await signIn('rural', DEMO_PASSWORD)).json().error.code).toBe('ACCOUNT_LOCKED');
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/console/staff', headers: as(admin) })).json().items;
    expect(listed.find((s: { username: string }) => s.username === 'rural').state).toBe('locked');
    const reset = await app.inject({ method: 'POST', url: '/api/v1/console/staff/rural/reset-password', headers: as(admin) });
    const temporary = reset.json().temporaryPassword;
    expect((await app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: as(session) })).statusCode).toBe(401);
    const again = await signIn('rural', temporary);
    expect(again.statusCode).toBe(200);
    expect(again.json().staff.mustChangePassword).toBe(true);
    expect(await auditOf('rural')).toContain('staff.reset_password');
  });

  it('sets the role, division and department, and the new permissions hold at the next sign-in', async () => {
    const res = await app.inject({
      method: 'PUT', url: '/api/v1/console/staff/civil/role', headers: as(admin),
      payload: { role: 'bureau_clerk', department: null },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ username: 'civil', role: 'bureau_clerk', department: null });
    const civil = (await signIn('civil', DEMO_PASSWORD)).json();
    expect(civil.staff.permissions).toContain('payment.write');
    const bad = await app.inject({ method: 'PUT', url: '/api/v1/console/staff/civil/role', headers: as(admin), payload: { role: 'department_liaison' } });
    expect(bad.json().error.code).toBe('DEPARTMENT_REQUIRED');
    const unknown = await app.inject({ method: 'PUT', url: '/api/v1/console/staff/nobody/role', headers: as(admin), payload: { role: 'auditor' } });
    expect(unknown.statusCode).toBe(404);
    expect(await auditOf('civil')).toContain('staff.set_role');
  });
});

describe('password rules', () => {
  it('refuses short, common and username-bearing passwords, and accepts a good one', () => {
    expect(() => checkPasswordStrength('short-pass', 'lhamo')).toThrow(/at least 12/);
    expect(() => checkPasswordStrength('qwerty123456', 'lhamo')).toThrow(/most common/);
    expect(() => checkPasswordStrength('Password1234', 'lhamo')).toThrow(/most common/);
    expect(() => checkPasswordStrength('woaini1314520', 'lhamo')).toThrow(/most common/);
    expect(() => checkPasswordStrength('my-name-is-lhamo', 'lhamo')).toThrow(/username/);
    expect(() => checkPasswordStrength('aaaaaaaaaaaaaaab', 'lhamo')).toThrow();
    expect(() => checkPasswordStrength('Yak butter tea at dawn', 'lhamo')).not.toThrow();
  });
});
