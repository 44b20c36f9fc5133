/** Finding 12 (issue 10): scrypt at N=2^17, r=8, p=1; an older, cheaper hash still signs in once and is upgraded then. */
import { scryptSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import { hashPassword, needsRehash, verifyPassword } from '../src/service/passwords.ts';
import { login } from '../src/service/staff-auth.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture } from './support/fixture.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await seedFixture(t.db, loadFixturePolicies());
});
afterAll(async () => {
  await t?.drop();
});

/** A hash as Sanbao wrote them before: N=2^14. */
function oldHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 16_384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

describe('password hashes', () => {
  it('are made at N=2^17, r=8, p=1 and verify', async () => {
    const hash = await hashPassword('Mani stones by the road');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword('Mani stones by the road', hash)).toBe(true);
    expect(await verifyPassword('Mani stones by the roaD', hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('refuse a stored hash with a cost beyond today\'s rather than spend the memory', async () => {
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA==')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });

  it('upgrade an older hash at the next successful sign-in, audited', async () => {
    await t.db.query(
      `INSERT INTO staff_users (username, display_name, password_hash, role, division_code) VALUES ('oldtimer', '老用户', $1, 'auditor', '513330')`,
      [oldHash('Old but long password')],
    );
    await expect(login(t.db, 'oldtimer', 'wrong but long password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const [still] = await t.db.query<{ password_hash: string }>(`SELECT password_hash FROM staff_users WHERE username = 'oldtimer'`);
    expect(still!.password_hash).toMatch(/^scrypt\$16384\$/); // a failed sign-in changes nothing
    await login(t.db, 'oldtimer', 'Old but long password');
    const [row] = await t.db.query<{ password_hash: string }>(`SELECT password_hash FROM staff_users WHERE username = 'oldtimer'`);
    expect(row!.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword('Old but long password', row!.password_hash)).toBe(true);
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE actor = 'staff:oldtimer' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['staff.login_failed', 'staff.password_rehash', 'staff.login']);
  });
});
