/**
 * Issue 17: the case workflow is finishable by the role that may take each
 * step and offered to no one else — `nextActions` come from the server by the
 * caller's permissions (never "verify" for the read-only auditor), and a
 * station the bureau delegated the monitoring visit to may record its visit.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDetailSchema, caseListResponseSchema } from '../src/api/routes/monitoring-responses.ts';
import { loadFixturePolicies } from './support/policies.ts';
import type { TestDb } from './support/db.ts';
import type { Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { settleBill, staffToken } from './support/monitoring.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;
let caseId: number;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: [] });
  ({ t, app, f } = testApp);
  await settleBill(app, f.plain.idNumber, 20_000_000, 12_000_000);
  const admin = await staffToken(app, 'admin');
  const cases = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases', headers: admin })).json();
  caseId = cases.items[0].id;
  // The departments take their lists and confirm them: the explicit step from raised to pushed.
  for (const department of cases.items[0].departments as string[]) {
    const list = await app.inject({ method: 'GET', url: `/api/v1/monitoring/outbox/${department}/list.csv`, headers: admin });
    const upTo = Number(list.headers['x-sanbao-list-up-to']);
    await app.inject({ method: 'POST', url: `/api/v1/monitoring/outbox/${department}/delivered`, headers: admin, payload: { upTo } });
  }
});
afterAll(() => testApp?.close());

const getCase = async (who: string) => (await app.inject({ method: 'GET', url: `/api/v1/monitoring/cases/${caseId}`, headers: await staffToken(app, who) })).json();
const verify = async (who: string) =>
  app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${caseId}/verification`, headers: await staffToken(app, who), payload: { note: '入户核实：家中 4 口人', visitedOn: '2025-07-20' } });

describe('the case workflow by permission', () => {
  it('offers the read-only auditor no step, and the server refuses it one', async () => {
    const c = await getCase('auditor');
    expect(c.status).toBe('pushed');
    expect(c.nextActions).toEqual([]);
    expect((await verify('auditor')).statusCode).toBe(403);
    const list = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases', headers: await staffToken(app, 'auditor') })).json();
    expect(list.items.every((i: { nextActions: string[] }) => i.nextActions.length === 0)).toBe(true);
    // The answers are what the OpenAPI document and the console's typed client say they are.
    expect(caseListResponseSchema.strict().parse(list).items.length).toBeGreaterThan(0);
    expect(caseDetailSchema.strict().parse(c).history[0]!.action).toBe('raised');
  });

  it('offers the bureau the visit, and the close only once determined', async () => {
    expect((await getCase('clerk')).nextActions).toEqual(['verify']);
    expect((await getCase('admin')).nextActions).toEqual(['verify']);
  });

  it('refuses a station without the delegated item, then lets it record its visit once the bureau delegates it', async () => {
    const before = await app.inject({ method: 'GET', url: `/api/v1/monitoring/cases/${caseId}`, headers: await staffToken(app, 'station1') });
    expect(before.statusCode).toBe(403);
    expect((await verify('station1')).statusCode).toBe(403);
    const put = await app.inject({ method: 'PUT', url: '/api/v1/console/delegations/513330001', headers: await staffToken(app, 'admin'), payload: { items: ['monitoring_visit'] } });
    expect(put.statusCode).toBe(200);
    expect((await getCase('station1')).nextActions).toEqual(['verify']);
    const res = await verify('station1');
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('verified');
    expect(res.json().history.at(-1)).toMatchObject({ action: 'verified', actor: 'staff:station1' });
    // The station visits; it does not determine or close.
    expect(res.json().nextActions).toEqual([]);
  });

  it('offers the determination to the departments and the bureau, the close to the bureau only', async () => {
    expect((await getCase('clerk')).nextActions).toEqual(['determine']);
    expect((await getCase('auditor')).nextActions).toEqual([]);
    const determined = await app.inject({
      method: 'POST', url: `/api/v1/monitoring/cases/${caseId}/determination`, headers: await staffToken(app, 'clerk'),
      payload: { kind: 'temporary_assistance', amount: 200_000, note: '临时救助 2000 元' },
    });
    expect(determined.statusCode).toBe(200);
    expect(determined.json().nextActions).toEqual(['close']);
    expect((await getCase('auditor')).nextActions).toEqual([]);
    expect((await getCase('station1')).nextActions).toEqual([]);
  });

  it('exports the case list as CSV or XLSX, masked, a liaison only its department’s cases', async () => {
    const csv = await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases?format=csv&year=2025', headers: await staffToken(app, 'auditor') });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,year,status,risk,person,id_number,division_code,departments,threshold_yuan,yearly_self_pay_yuan,determination,raised_at');
    const total = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases?year=2025', headers: await staffToken(app, 'auditor') })).json().total;
    expect(lines).toHaveLength(total + 1);
    expect(csv.body).not.toContain(f.plain.idNumber);
    expect(csv.body).toContain(`${f.plain.idNumber.slice(0, 6)}********${f.plain.idNumber.slice(-4)}`);
    const xlsx = await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases?format=xlsx', headers: await staffToken(app, 'admin') });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const liaison = await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases?format=csv&department=civil_affairs', headers: await staffToken(app, 'rural') });
    const theirs = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases', headers: await staffToken(app, 'rural') })).json().total;
    expect(liaison.body.replace(/^\ufeff/, '').trim().split('\r\n')).toHaveLength(theirs + 1);
  });
});
