/**
 * Issue 17: the console's settlement list gives the real total with paging
 * and a year filter, and exports the whole selection as CSV or XLSX — names
 * masked by the same rule as the page, amounts in yuan from integer fen.
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
const BILLS = 7;

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  for (let i = 0; i < BILLS; i++) await settleBill(app, i % 2 ? f.plain.idNumber : f.poor.idNumber, 1_000_000 + i * 100, 800_000, `2025-0${(i % 8) + 1}-10`);
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const get = async (who: string, url: string) => app.inject({ method: 'GET', url, headers: await staffToken(app, who) });

describe('the settlement list', () => {
  it('answers the real total, page by page, without repeating a bill', async () => {
    const first = (await get('clerk', '/api/v1/console/settlements?limit=3')).json();
    expect(first.total).toBe(BILLS);
    expect(first.items).toHaveLength(3);
    const pages = [first];
    for (let offset = 3; offset < BILLS; offset += 3) pages.push((await get('clerk', `/api/v1/console/settlements?limit=3&offset=${offset}`)).json());
    const ids = pages.flatMap((p) => p.items.map((i: { id: number }) => i.id));
    expect(new Set(ids).size).toBe(BILLS);
    expect(pages.at(-1).total).toBe(BILLS);
    const beyond = (await get('clerk', '/api/v1/console/settlements?limit=3&offset=30')).json();
    expect(beyond).toMatchObject({ total: BILLS, items: [] });
  });

  it('filters by year', async () => {
    expect((await get('clerk', '/api/v1/console/settlements?year=2025')).json().total).toBe(BILLS);
    expect((await get('clerk', '/api/v1/console/settlements?year=2024')).json()).toMatchObject({ total: 0, items: [] });
    expect((await get('clerk', '/api/v1/console/settlements?year=1999')).statusCode).toBe(400);
  });

  it('exports the whole selection as CSV, names masked, amounts in yuan', async () => {
    const res = await get('clerk', '/api/v1/console/settlements?year=2025&limit=1&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="settlements-513330-2025\.csv"/);
    const lines = res.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,visit_date,person,division_code,facility,kind,total_yuan,funds_yuan,self_pay_yuan,status,adjustments');
    expect(lines).toHaveLength(BILLS + 1);
    const name = (await t.db.query<{ name: string }>('SELECT name FROM persons WHERE id_number = $1', [f.poor.idNumber]))[0]!.name;
    expect(res.body).not.toContain(name);
    expect(res.body).toContain(`${[...name][0]}*`);
    expect(res.body).toContain('"10,000.00"');
    expect(res.body).toContain('"10,006.00"');
  });

  it('exports XLSX', async () => {
    const res = await get('clerk', '/api/v1/console/settlements?format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses an unknown format', async () => {
    const res = await get('clerk', '/api/v1/console/settlements?format=pdf');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toMatch(/format/);
  });
});
