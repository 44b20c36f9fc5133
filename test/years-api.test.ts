/**
 * The years screen's API (bureau admin, issue 18): closed years and the id
 * ranges as `sanbao year list` shows them, opening the next year through the
 * CLI's service (audited with the staff member, idempotent), archiving a
 * closed one with its refusals as 4xx and nothing changed; every other role 403.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeYearAudited } from '../src/service/year-end.ts';
import { clearYearEndFor } from '../src/service/clearing.ts';
import type { TestDb } from './support/db.ts';
import { CODES, KEYS } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { enrollFor2026, loadPoliciesWithDege2026 } from './support/year-two-policy.ts';

let testApp: TestApp;
let t: TestDb;
let app: FastifyInstance;
let archive: string;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadPoliciesWithDege2026(), staff: ['admin', 'clerk', 'auditor'] });
  ({ t, app } = testApp);
  archive = (await t.db.query<{ s: string }>(`SELECT current_schema() || '_archive' AS s`))[0]!.s;
});
afterAll(async () => {
  await t?.db.query(`DROP SCHEMA IF EXISTS "${archive}" CASCADE`);
  await testApp?.close();
});

const years = () => app.inject({ method: 'GET', url: '/api/v1/console/years', headers: testApp.as('admin') });
const act = (year: string | number, what: 'open' | 'archive', who = 'admin') =>
  app.inject({ method: 'POST', url: `/api/v1/console/years/${year}/${what}`, headers: testApp.as(who) });

async function count(sql: string): Promise<number> {
  return Number((await t.db.query<{ n: string }>(sql))[0]!.n);
}

describe('the years API', () => {
  it('lists the first range only on a database where no year was opened; next year: this one', async () => {
    const res = await years();
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.closed).toEqual([]);
    expect(body.ranges).toEqual([
      expect.objectContaining({ year: null, firstId: null, lastId: 999_999_999_999, settlements: 0, openedAt: null, archivedAt: null, current: true }),
    ]);
    expect(body.nextYear).toBe(new Date().getUTCFullYear());
  });

  it('refuses every role but the bureau admin, and a bad year, with nothing changed', async () => {
    for (const who of ['clerk', 'auditor']) {
      expect((await app.inject({ method: 'GET', url: '/api/v1/console/years', headers: testApp.as(who) })).statusCode).toBe(403);
      expect((await act(2025, 'open', who)).statusCode).toBe(403);
      expect((await act(2025, 'archive', who)).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/years' })).statusCode).toBe(401);
    for (const bad of ['1999', '20x5', '2101']) {
      const res = await act(bad, 'open');
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ field: 'year' });
    }
    expect(await count('SELECT count(*) AS n FROM settlement_id_ranges')).toBe(0);
  });

  it('opens a year through the CLI\'s service, audited with the staff member; again: already open', async () => {
    const first = await act(2025, 'open');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ year: 2025, opened: true, firstId: 2_025_000_000_000, lastId: 2_025_999_999_999, sequenceMoved: true });
    const again = await act(2025, 'open');
    expect(again.json()).toMatchObject({ opened: false, sequenceMoved: false });
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'year.open' AND actor = 'staff:admin'`)).toBe(1);
    const before = await act(2024, 'open');
    expect(before.statusCode).toBe(409);
    expect(before.json().error.code).toBe('LATER_YEAR_OPEN');
    const body = (await years()).json();
    expect(body.nextYear).toBe(2026);
    expect(body.ranges[1]).toMatchObject({ year: 2025, firstId: 2_025_000_000_000, openedBy: 'staff:admin', current: true });
  });

  it('archives a closed, cleared year once a later one is open; each refusal a 4xx with its code, nothing detached', async () => {
    const p = await addEnrolledPerson(t.db, testApp.policies);
    await enrollFor2026(t.db, p.id);
    const settled = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: 'YA-1', patient: { idNumber: p.idNumber }, visit: { kind: 'inpatient', date: '2025-05-05' }, amounts: { total: 200_000, compliant: 180_000 } },
    });
    expect(settled.statusCode, settled.body).toBe(201);
    const refused = async (code: string, status = 409) => {
      const res = await act(2025, 'archive');
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error).toMatchObject({ code, field: 'year' });
    };
    await refused('YEAR_CURRENT');
    expect((await act(2026, 'open')).statusCode).toBe(200);
    await refused('YEAR_NOT_CLOSED');
    await closeYearAudited(t.db, 2025, 'test', null);
    await refused('YEAR_NOT_CLEARED');
    expect((await act(2031, 'archive')).statusCode).toBe(404);
    expect(await count(`SELECT count(*) AS n FROM settlement_id_ranges WHERE archived_at IS NOT NULL`)).toBe(0);
    await clearYearEndFor({ db: t.db, policies: testApp.policies }, { facility: CODES.county, year: 2025, assessment: '95%', actor: 'test', today: '2026-01-02' });
    const res = await act(2025, 'archive');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ year: 2025, archived: true, settlements: 1 });
    expect(res.json().tables).toHaveLength(4);
    expect((await act(2025, 'archive')).json()).toMatchObject({ archived: false, settlements: 1, tables: [] });
    // The bureau's window cannot reverse an archived bill either: 409, not 404.
    const window = await app.inject({
      method: 'POST', url: `/api/v1/console/settlements/${settled.json().id}/reversal`, headers: testApp.as('admin'),
      payload: { reason: 'billed to the wrong person', dryRun: false },
    });
    expect(window.statusCode, window.body).toBe(409);
    expect(window.json().error).toMatchObject({ code: 'TRANSACTION_ARCHIVED', field: 'id' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/console/settlements/999/reversal', headers: testApp.as('admin'), payload: { reason: 'billed to the wrong person', dryRun: false } })).statusCode).toBe(404);
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'year.archive' AND actor = 'staff:admin'`)).toBe(1);
    const body = (await years()).json();
    expect(body.closed).toEqual([expect.objectContaining({ year: 2025, closedBy: 'test' })]);
    expect(body.ranges.map((r: { year: number | null; settlements: number; archivedBy: string | null; current: boolean }) => [r.year, r.settlements, r.archivedBy, r.current])).toEqual([
      [null, 0, null, false], [2025, 1, 'staff:admin', false], [2026, 0, null, true],
    ]);
  });
});
