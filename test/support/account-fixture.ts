/**
 * A Lhasa household for personal-account tests: an employee head (in service,
 * contribution base 8,000 yuan), a spouse and a child in the resident scheme,
 * the head's retired father (an employee too), and an employee of another
 * household. All enrolled for 2025 under lhasa-2025. Lhasa hospital: H3 of seedFixture.
 */
import { makeIdNumber } from '../../src/domain/id-number.ts';
import type { Db } from '../../src/store/db.ts';
import { insertPerson } from '../../src/store/repositories/persons.ts';
import type { PolicyRegistry } from '../../src/domain/policy/registry.ts';
import type { FixturePerson } from './fixture.ts';
import { staffToken } from './monitoring.ts';
import { openTestApp, type TestApp } from './test-app.ts';

export interface AccountFixture {
  head: FixturePerson; // employee in service, base 800,000 fen
  spouse: FixturePerson; // resident
  child: FixturePerson; // resident
  father: FixturePerson; // employee, retired
  stranger: FixturePerson; // employee in service, other household, no base
}

export async function seedAccountFixture(db: Db): Promise<AccountFixture> {
  await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('540102001', '八廓街道', 2, '540102') ON CONFLICT DO NOTHING`);
  const [home] = await db.query<{ id: number }>(`INSERT INTO households (code, division_code) VALUES ('LS-1', '540102001') RETURNING id`);
  const [other] = await db.query<{ id: number }>(`INSERT INTO households (code, division_code) VALUES ('LS-2', '540102001') RETURNING id`);
  let n = 0;
  const person = async (p: { relation: string; household: number; scheme: 'resident' | 'employee'; status?: 'in_service' | 'retired'; born: string }): Promise<FixturePerson> => {
    n += 1;
    const sex = n % 2 ? 'M' : 'F';
    const idNumber = makeIdNumber('540102', p.born, 500 + n, sex);
    const qrToken = `qr_acct_${n}_abcdef`;
    const id = await insertPerson(db, {
      idNumber, name: `账户${n}`, sex, birthDate: p.born, divisionCode: '540102001', householdId: p.household, relation: p.relation,
      scheme: p.scheme, employmentStatus: p.status ?? 'in_service', qrToken,
    });
    await db.query(
      `INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, individual_fen, paid_fen, status)
       VALUES ($1, 2025, 'lhasa-2025', $2, 'tier1', 40000, 0, 40000, 40000, 'enrolled')`,
      [id, p.scheme],
    );
    return { id, idNumber, qrToken };
  };
  const head = await person({ relation: 'head', household: home!.id, scheme: 'employee', born: '1980-03-04' });
  const spouse = await person({ relation: 'spouse', household: home!.id, scheme: 'resident', born: '1982-05-06' });
  const child = await person({ relation: 'child', household: home!.id, scheme: 'resident', born: '2010-07-08' });
  const father = await person({ relation: 'parent', household: home!.id, scheme: 'employee', status: 'retired', born: '1950-01-02' });
  const stranger = await person({ relation: 'head', household: other!.id, scheme: 'employee', born: '1985-09-10' });
  await db.query('INSERT INTO personal_accounts (person_id, contribution_base_fen) VALUES ($1, 800000)', [head.id]);
  return { head, spouse, child, father, stranger };
}

/** A bureau clerk of Lhasa (the demo staff are Dege's), signed in with the demo password. */
export async function createLhasaClerk(db: Db, username = 'lhasa_clerk'): Promise<void> {
  const { createStaff } = await import('../../src/service/staff-auth.ts');
  const { DEMO_PASSWORD } = await import('../../src/demo/staff.ts');
  const { hashPassword } = await import('../../src/service/passwords.ts');
  await createStaff(db, { username, displayName: '拉萨经办', password: DEMO_PASSWORD, role: 'bureau_clerk', divisionCode: '540102', passwordHash: await hashPassword(DEMO_PASSWORD) }, 'test');
}

/** The service on a fresh database with the fixture county and this household: what the personal-account API tests set up alike. */
export interface AccountApp {
  testApp: TestApp;
  a: AccountFixture;
  /** The Lhasa clerk's authorization header (with `clerk`; the demo staff are loaded then too). */
  clerk: { authorization: string } | undefined;
}

export async function openAccountApp(policies: PolicyRegistry, opts: { clerk?: boolean } = {}): Promise<AccountApp> {
  const testApp = await openTestApp({ policies, ...(opts.clerk ? { staff: [] } : {}) });
  try {
    const a = await seedAccountFixture(testApp.t.db);
    if (!opts.clerk) return { testApp, a, clerk: undefined };
    await createLhasaClerk(testApp.t.db);
    return { testApp, a, clerk: await staffToken(testApp.app, 'lhasa_clerk') };
  } catch (error) {
    await testApp.close();
    throw error;
  }
}
