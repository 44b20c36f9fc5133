/**
 * Issue 10, finding 8: a hospital's patient look-up (identify) is audited
 * with the facility, the person and the purpose, and limited per facility:
 * past the limit, 429 with a code and Retry-After; another facility is not held up.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), app: { limits: { identifyPerFacility: { limit: 3, windowSeconds: 3600 } } } });
  ({ t, app, f } = testApp);
});
afterAll(() => testApp?.close());

const identify = (key: string, payload: object) =>
  app.inject({ method: 'POST', url: '/api/v1/identify', headers: { authorization: `Bearer ${key}` }, payload });

describe('identify', () => {
  it('audits each look-up with the facility, the person and the purpose', async () => {
    expect((await identify(KEYS.county, { patient: { qrToken: f.poor.qrToken }, year: 2025 })).statusCode).toBe(200);
    expect((await identify(KEYS.county, { patient: { idNumber: f.plain.idNumber }, year: 2025, purpose: 'settlement' })).statusCode).toBe(200);
    expect((await identify(KEYS.county, { patient: { idNumber: f.plain.idNumber }, purpose: 'curiosity' })).statusCode).toBe(400);
    const rows = await t.db.query<{ actor: string; action: string; entity: string; entity_id: string; detail: Record<string, unknown> }>(
      `SELECT actor, action, entity, entity_id, detail FROM audit_log WHERE action = 'patient.identify' ORDER BY id`,
    );
    expect(rows).toEqual([
      { actor: 'facility:H51333000001', action: 'patient.identify', entity: 'person', entity_id: String(f.poor.id), detail: { facility: 'H51333000001', personId: f.poor.id, purpose: 'registration', by: 'qrToken' } },
      { actor: 'facility:H51333000001', action: 'patient.identify', entity: 'person', entity_id: String(f.plain.id), detail: { facility: 'H51333000001', personId: f.plain.id, purpose: 'settlement', by: 'idNumber' } },
    ]);
  });

  it('limits look-ups per facility: 429 with a code and Retry-After', async () => {
    // The refused bad request above counted: this facility has used 3 of 3.
    const res = await identify(KEYS.county, { patient: { idNumber: f.poor.idNumber } });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('IDENTIFY_RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect((await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'patient.identify'`)).length).toBe(2);
    // Another facility has its own allowance.
    expect((await identify(KEYS.clinic, { patient: { idNumber: f.poor.idNumber }, year: 2025 })).statusCode).toBe(200);
  });

  it('counts parallel look-ups exactly', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => identify(KEYS.lhasa, { patient: { idNumber: f.poor.idNumber }, year: 2025 })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 429, 429, 429]);
  });
});
