/** Finding 3 (issue 10): the lock-out counted atomically, and sign-in that never reveals which usernames exist. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import { DEMO_PASSWORD } from '../src/demo/staff.ts';
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

const signIn = (username: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password } });

describe('staff lock-out under parallel attempts', () => {
  it('locks the account when 20 wrong passwords arrive at once', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn('clerk', `wrong-password-${i}`)));
    for (const a of answers) expect([401, 403]).toContain(a.statusCode);
    const right = await signIn('clerk', DEMO_PASSWORD);
    expect(right.statusCode).toBe(403);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity = 'staff' AND entity_id = (SELECT id::text FROM staff_users WHERE username = 'clerk')`,
    );
    expect(audit.filter((a) => a.action === 'staff.locked')).toHaveLength(1);
    // At most the allowance of passwords were actually tried; the rest were refused before any check.
    expect(audit.filter((a) => a.action === 'staff.login_failed' || a.action === 'staff.locked').length).toBeLessThanOrEqual(5);
  });
});

describe('sign-in does not reveal which usernames exist', () => {
  it('answers a wrong password and an unknown username alike', async () => {
    const known = await signIn('auditor', 'not-the-password');
    const unknown = await signIn('nobody-here', 'not-the-password');
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.json()).toEqual(known.json());
  });

  it('locks an unknown username after as many failures as a real one, with the same answer', async () => {
    const real: number[] = [];
    const ghost: number[] = [];
    for (let i = 0; i < 6; i++) {
      real.push((await signIn('civil', `wrong-${i}-password`)).statusCode);
      ghost.push((await signIn('ghost-user', `wrong-${i}-password`)).statusCode);
    }
    expect(ghost).toEqual(real);
    const a = await signIn('civil', 'again-wrong-password');
    const b = await signIn('ghost-user', 'again-wrong-password');
    expect(b.json()).toEqual(a.json());
    expect(a.json().error.code).toBe('ACCOUNT_LOCKED');
  });
});
