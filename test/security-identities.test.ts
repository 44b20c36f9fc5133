/**
 * Issue 10, finding 4: each identity has its attesting department
 * (vocabulary data: severe_disability → disabled persons' federation,
 * minimum_living → civil affairs …), enforced on roster import (API, CLI
 * service) and on every other path that records an identity (a case
 * determination): the wrong department is refused with a code, nothing written.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestingDepartment } from '../src/domain/attestation.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { IDENTITIES } from '../src/domain/vocabulary.ts';
import { importRoster } from '../src/service/roster-import.ts';
import { insertIdentity } from '../src/store/repositories/persons.ts';
import type { TestDb } from './support/db.ts';
import { rosterCsv } from './support/enrollment-fixture.ts';
import type { Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { settleBill } from './support/monitoring.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
const h: Record<string, { authorization: string }> = {};
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: ['admin', 'clerk', 'civil', 'rural'] });
  ({ t, app, f } = testApp);
  for (const u of ['admin', 'clerk', 'civil', 'rural']) h[u] = testApp.as(u);
});
afterAll(() => testApp?.close());

const counts = async () => {
  const [row] = await t.db.query<{ identities: number; rosters: number }>(
    'SELECT (SELECT count(*)::int FROM identities) AS identities, (SELECT count(*)::int FROM rosters) AS rosters',
  );
  return row!;
};
const roster = (department: string, identity: string) => ({
  mode: 'add', department, identity, from: '2025-01-01', division: '513330', fileName: 'roster.csv',
  contentBase64: rosterCsv([{ id: f.plain.idNumber, name: '测试1' }]).toString('base64'),
});

describe('the attesting department of each identity', () => {
  it('is data for every identity', () => {
    for (const identity of IDENTITIES) expect(attestingDepartment(identity)).toMatch(/^[a-z_]+$/);
    expect(attestingDepartment('severe_disability')).toBe('disabled_federation');
    expect(attestingDepartment('minimum_living')).toBe('civil_affairs');
  });
});

describe('roster import', () => {
  it('refuses civil affairs importing severe_disability, with a clear code and nothing written', async () => {
    const before = await counts();
    const res = await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: h.civil, payload: roster('civil_affairs', 'severe_disability') });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'NOT_ATTESTING_DEPARTMENT', field: 'identity' });
    expect(res.json().error.message).toContain('disabled_federation');
    // A bureau clerk cannot pass it off under the wrong department either.
    expect((await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: h.clerk, payload: roster('civil_affairs', 'severe_disability') })).json().error.code).toBe('NOT_ATTESTING_DEPARTMENT');
    expect(await counts()).toEqual(before);
  });

  it('refuses it through the service the CLI uses, too', async () => {
    await expect(importRoster(t.db, {
      mode: 'add', department: 'civil_affairs', identity: 'severe_disability', validFrom: '2025-01-01', validTo: null, division: '513330', fileName: 'r.csv', format: 'csv',
      content: rosterCsv([{ id: f.plain.idNumber, name: '测试1' }]), skipBadRows: false, actor: 'cli',
    })).rejects.toMatchObject({ code: 'NOT_ATTESTING_DEPARTMENT' });
  });

  it('accepts the right department (a clerk importing for the disabled persons federation)', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/rosters', headers: h.clerk, payload: roster('disabled_federation', 'severe_disability') });
    expect(res.statusCode).toBe(201);
    const [row] = await t.db.query<{ department: string }>(`SELECT department FROM identities WHERE person_id = $1 AND identity = 'severe_disability'`, [f.plain.id]);
    expect(row!.department).toBe('disabled_federation');
  });
});

describe('recording an identity elsewhere', () => {
  it('refuses a repository write under the wrong department', async () => {
    await expect(insertIdentity(t.db, { personId: f.pending.id, identity: 'special_care', validFrom: '2025-01-01', department: 'civil_affairs' }))
      .rejects.toMatchObject({ code: 'NOT_ATTESTING_DEPARTMENT' });
  });

  it('refuses a rural liaison including someone as minimum_living, and records a clerk’s inclusion under civil affairs', async () => {
    // alleviated falls back → a case routed to rural revitalization (and the county bureau).
    await settleBill(app, f.alleviated.idNumber, 1_500_000, 300_000);
    const [c] = await t.db.query<{ id: number }>('SELECT id FROM monitoring_cases WHERE person_id = $1', [f.alleviated.id]);
    await t.db.query(`UPDATE monitoring_cases SET status = 'verified' WHERE id = $1`, [c!.id]);
    const before = await counts();
    const refused = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c!.id}/determination`, headers: h.rural, payload: { kind: 'included', identity: 'minimum_living' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('NOT_ATTESTING_DEPARTMENT');
    expect(await counts()).toEqual(before);
    const [status] = await t.db.query<{ status: string }>('SELECT status FROM monitoring_cases WHERE id = $1', [c!.id]);
    expect(status!.status).toBe('verified');

    const ok = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c!.id}/determination`, headers: h.clerk, payload: { kind: 'included', identity: 'minimum_living' } });
    expect(ok.statusCode).toBe(200);
    const [identity] = await t.db.query<{ department: string }>(`SELECT department FROM identities WHERE person_id = $1 AND identity = 'minimum_living'`, [f.alleviated.id]);
    expect(identity!.department).toBe('civil_affairs');
  });
});
