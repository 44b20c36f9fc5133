/**
 * Issue 17: hospitals carry a Tibetan name where the register has one — set by
 * the bureau admin (Tibetan script only, audited) and shown to a Tibetan
 * reader's reimbursements; divisions' Tibetan names reach the enrollment page.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadDemoStaff } from '../src/demo/staff.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';
import { settleBill, staffToken } from './support/monitoring.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
const codes: { idNumber: string; code: string }[] = [];
const NAME_BO = 'སྡེ་དགེ་རྫོང་མི་དམངས་སྨན་ཁང་།';

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent', otpSender: { send: async (m) => void codes.push(m) } });
  await settleBill(app, f.poor.idNumber, 1_000_000, 800_000);
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const setName = async (who: string, nameBo: string | null) =>
  app.inject({ method: 'PUT', url: '/api/v1/console/facilities/H51333000001/name-bo', headers: await staffToken(app, who), payload: { nameBo } });

describe('Tibetan names', () => {
  it('lets the bureau admin give a hospital its Tibetan name, audited; Tibetan script only', async () => {
    expect((await setName('clerk', NAME_BO)).statusCode).toBe(403);
    const bad = await setName('admin', 'Dege County Hospital');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'INVALID_NAME_BO', field: 'nameBo' });
    const ok = await setName('admin', NAME_BO);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ code: 'H51333000001', nameBo: NAME_BO });
    const list = (await app.inject({ method: 'GET', url: '/api/v1/console/facilities', headers: await staffToken(app, 'admin') })).json();
    expect(list.items.find((x: { code: string }) => x.code === 'H51333000001').nameBo).toBe(NAME_BO);
    const [entry] = await t.db.query<{ detail: { to: string } }>(`SELECT detail FROM audit_log WHERE action = 'facility.set_name_bo'`);
    expect(entry!.detail.to).toBe(NAME_BO);
  });

  it('shows the resident the hospital’s Tibetan name beside its Chinese one', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber: f.poor.idNumber } });
    const login = await app.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber: f.poor.idNumber, code: codes.at(-1)!.code } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const items = (await app.inject({ method: 'GET', url: '/api/v1/me/settlements', headers: { cookie } })).json().items;
    expect(items[0]).toMatchObject({ facility: '德格县人民医院', facilityBo: NAME_BO });
  });

  it('carries divisions’ Tibetan and English names to the enrollment page', async () => {
    await t.db.query(`UPDATE divisions SET name_bo = 'སྡེ་དགེ་དགོན་ཆེན།', name_en = 'Gengqing' WHERE code = '513330001'`);
    await t.db.query(`UPDATE divisions SET name_bo = 'གྲོང་ཚོ་དང་པོ།' WHERE code = '513330001001'`);
    const coverage = (await app.inject({ method: 'GET', url: '/api/v1/enrollment/coverage?year=2025', headers: await staffToken(app, 'clerk') })).json();
    expect(coverage.lines.find((l: { code: string }) => l.code === '513330001')).toMatchObject({ nameBo: 'སྡེ་དགེ་དགོན་ཆེན།', nameEn: 'Gengqing' });
    const unenrolled = (await app.inject({ method: 'GET', url: '/api/v1/enrollment/unenrolled?year=2025', headers: await staffToken(app, 'clerk') })).json();
    const inGengqing = unenrolled.people.filter((p: { divisionCode: string }) => p.divisionCode.startsWith('513330001'));
    expect(inGengqing.length).toBeGreaterThan(0);
    expect(inGengqing[0]).toMatchObject({ divisionNameBo: expect.stringMatching(/^[\u0F00-\u0FFF]/) });
  });
});
