/**
 * Issue 10, finding 1: a department's list (list.csv, full ID numbers and
 * names) goes only to the department's liaison, or to the bureau admin acting
 * for it; every download is audited as unmasking; a download never changes a
 * case; marking the pushes delivered is an explicit, audited action.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import type { TestDb } from './support/db.ts';
import type { Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { settleBill } from './support/monitoring.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
const h: Record<string, { authorization: string }> = {};
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: ['admin', 'clerk', 'civil', 'rural', 'auditor'] });
  ({ t, app, f } = testApp);
  for (const u of ['admin', 'clerk', 'civil', 'rural', 'auditor']) h[u] = testApp.as(u);
  await settleBill(app, f.plain.idNumber, 5_000_000, 1_000_000); // one alert → civil_affairs and county_bureau
});
afterAll(() => testApp?.close());

const LIST = '/api/v1/monitoring/outbox/civil_affairs/list.csv';
const download = (who: string, query = '') => app.inject({ method: 'GET', url: `${LIST}${query}`, headers: h[who] });
const caseStatus = async () => (await t.db.query<{ status: string }>('SELECT status FROM monitoring_cases WHERE person_id = $1', [f.plain.id]))[0]!.status;
const pushStatus = async () =>
  (await t.db.query<{ status: string }>(`SELECT status FROM outbox WHERE department = 'civil_affairs'`)).map((r) => r.status);

describe('who may take a department list', () => {
  it('refuses the auditor and a clerk (403 with a code), writing nothing', async () => {
    for (const who of ['auditor', 'clerk']) {
      const res = await download(who);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('NOT_DEPARTMENT_LIAISON');
      expect(res.body).not.toContain(f.plain.idNumber);
    }
    expect((await download('rural')).json().error.code).toBe('OTHER_DEPARTMENT');
    expect(await caseStatus()).toBe('raised');
    expect((await t.db.query(`SELECT 1 FROM audit_log WHERE entity = 'department_list'`)).length).toBe(0);
  });

  it('gives the liaison its list, audited as unmasking, and changes nothing', async () => {
    const res = await download('civil');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(f.plain.idNumber);
    expect(await caseStatus()).toBe('raised');
    expect(await pushStatus()).toEqual(['pending']);
    // A second look shows the same pending row: viewing is not delivering.
    expect((await download('civil')).body).toContain(f.plain.idNumber);
    const [entry] = await t.db.query<{ actor: string; action: string; detail: Record<string, unknown> }>(
      `SELECT actor, action, detail FROM audit_log WHERE entity = 'department_list' ORDER BY id LIMIT 1`,
    );
    expect(entry).toMatchObject({ actor: 'staff:civil', action: 'person.unmask', detail: { department: 'civil_affairs', rows: 1, personIds: [f.plain.id] } });
    expect(JSON.stringify(entry)).not.toContain(f.plain.idNumber);
    expect(res.headers['x-sanbao-list-up-to']).toMatch(/^\d+$/);
  });

  it('lets the bureau admin take it acting for the department, audited as such', async () => {
    const res = await download('admin');
    expect(res.statusCode).toBe(200);
    const [entry] = await t.db.query<{ detail: Record<string, unknown> }>(
      `SELECT detail FROM audit_log WHERE entity = 'department_list' AND actor = 'staff:admin'`,
    );
    expect(entry!.detail).toMatchObject({ department: 'civil_affairs', actingFor: 'civil_affairs' });
    expect(await caseStatus()).toBe('raised');
  });
});

describe('marking a list delivered', () => {
  const mark = (who: string, payload: object, department = 'civil_affairs') =>
    app.inject({ method: 'POST', url: `/api/v1/monitoring/outbox/${department}/delivered`, headers: h[who], payload });

  it('is refused to others, and to a liaison of another department', async () => {
    expect((await mark('auditor', { upTo: 1_000_000 })).statusCode).toBe(403);
    expect((await mark('clerk', { upTo: 1_000_000 })).json().error.code).toBe('NOT_DEPARTMENT_LIAISON');
    expect((await mark('rural', { upTo: 1_000_000 })).json().error.code).toBe('OTHER_DEPARTMENT');
    expect((await mark('civil', { upTo: -1 })).statusCode).toBe(400);
    expect(await pushStatus()).toEqual(['pending']);
  });

  it('moves the downloaded pushes and their cases on, audited, and only those downloaded', async () => {
    const upTo = Number((await download('civil')).headers['x-sanbao-list-up-to']);
    await settleBill(app, f.poor.idNumber, 6_000_000, 1_000_000); // a newer push, not in the list taken
    const res = await mark('civil', { upTo });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ department: 'civil_affairs', marked: 1 });
    expect(await caseStatus()).toBe('pushed');
    expect((await pushStatus()).sort()).toEqual(['delivered', 'pending']);
    const [entry] = await t.db.query<{ actor: string; detail: Record<string, unknown> }>(
      `SELECT actor, detail FROM audit_log WHERE action = 'monitoring.mark_delivered'`,
    );
    expect(entry).toMatchObject({ actor: 'staff:civil', detail: { department: 'civil_affairs', marked: 1, upTo } });
    // Again: nothing left to mark up to that id.
    expect((await mark('civil', { upTo })).json()).toEqual({ department: 'civil_affairs', marked: 0 });
  });
});
