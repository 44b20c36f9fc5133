/**
 * Issue 10, finding 5: out-of-area filings start and end within limits set
 * by filing reason as policy data (an optional, validated section with
 * defaults, present in the shipped policies): no backdating beyond the
 * reason's grace, no filing to 2099 — 422 with a code, nothing written.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { beijingToday } from '../src/api/routes/monitoring.ts';
import { loadDemoStaff } from '../src/demo/staff.ts';
import { compilePolicy, PolicyError } from '../src/domain/policy/compile.ts';
import { checkFilingPeriod, DEFAULT_FILING_LIMITS, lastDayOf } from '../src/domain/policy/filing-limits.ts';
import { FIXTURE_POLICY_DIR, loadFixturePolicies } from './support/policies.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';
import { staffToken } from './support/monitoring.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let clerk: { authorization: string };

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  clerk = await staffToken(app, 'clerk');
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const DAY = 86_400_000;
const shift = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
// The bureau's day when each test starts, not when the file was loaded: the file may run across midnight in Beijing (16:00 UTC).
let today = beijingToday();
beforeEach(() => {
  today = beijingToday();
});
const file = (payload: object) =>
  app.inject({ method: 'POST', url: `/api/v1/console/persons/${f.poor.id}/filings`, headers: clerk, payload: { treatmentPlace: '成都市', ...payload } });
const filings = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM out_of_area_filings'))[0]!.n;

describe('the limits as policy data', () => {
  it('ships a filing section in every reference policy, and defaults when a policy has none', () => {
    for (const p of loadFixturePolicies().list()) expect(p.outOfAreaFiling.resident_elsewhere.maxMonths).toBeGreaterThan(0);
    const text = readFileSync(join(FIXTURE_POLICY_DIR, 'dege-2025.yaml'), 'utf8');
    expect(text).toContain('outOfAreaFiling:');
    const without = text.slice(0, text.indexOf('\n# Out-of-area filings'));
    expect(compilePolicy(without, 'dege-2025.yaml').outOfAreaFiling).toEqual(DEFAULT_FILING_LIMITS);
    const partial = `${without}\noutOfAreaFiling:\n  reasons:\n    emergency: { maxMonths: 2 }\n`;
    expect(compilePolicy(partial, 'dege-2025.yaml').outOfAreaFiling.emergency).toEqual({ ...DEFAULT_FILING_LIMITS.emergency, maxMonths: 2 });
  });

  it('validates the section, naming the field', () => {
    const text = readFileSync(join(FIXTURE_POLICY_DIR, 'dege-2025.yaml'), 'utf8');
    const without = text.slice(0, text.indexOf('\n# Out-of-area filings'));
    for (const bad of ['    emergency: { maxMonths: 0 }', '    holiday: { maxMonths: 1 }', '    emergency: { maxMonths: 1, backdateDays: -3 }']) {
      const run = () => compilePolicy(`${without}\noutOfAreaFiling:\n  reasons:\n${bad}\n`, 'dege-2025.yaml');
      expect(run).toThrow(PolicyError);
      expect(run).toThrow(/outOfAreaFiling\.reasons/);
    }
  });

  it('counts months by the calendar', () => {
    expect(lastDayOf('2025-01-31', 1)).toBe('2025-02-27');
    expect(lastDayOf('2025-01-01', 6)).toBe('2025-06-30');
    expect(lastDayOf('2024-03-15', 24)).toBe('2026-03-14');
    expect(() => checkFilingPeriod(DEFAULT_FILING_LIMITS, { reason: 'temporary', validFrom: '2025-01-01', validTo: '2025-07-01' }, '2025-01-01')).toThrow(expect.objectContaining({ code: 'FILING_TOO_LONG' }));
    expect(() => checkFilingPeriod(DEFAULT_FILING_LIMITS, { reason: 'temporary', validFrom: '2025-01-01', validTo: '2025-06-30' }, '2025-01-01')).not.toThrow();
  });
});

describe('filing through the API', () => {
  it('refuses backdating beyond the grace, an end in 2099 and a start too far ahead, writing nothing', async () => {
    const before = await filings();
    const cases: [object, string, string][] = [
      [{ reason: 'referral', validFrom: '2025-01-01', validTo: '2025-06-30' }, 'FILING_BACKDATED', 'validFrom'],
      [{ reason: 'resident_elsewhere', validFrom: shift(today, -1), validTo: shift(today, 30) }, 'FILING_BACKDATED', 'validFrom'],
      [{ reason: 'emergency', validFrom: shift(today, -31), validTo: shift(today, -5) }, 'FILING_BACKDATED', 'validFrom'],
      [{ reason: 'resident_elsewhere', validFrom: today, validTo: '2099-12-31' }, 'FILING_TOO_LONG', 'validTo'],
      [{ reason: 'temporary', validFrom: today, validTo: lastDayOf(today, 7) }, 'FILING_TOO_LONG', 'validTo'],
      [{ reason: 'temporary', validFrom: shift(today, 91), validTo: shift(today, 120) }, 'FILING_TOO_FAR_AHEAD', 'validFrom'],
    ];
    for (const [payload, code, field] of cases) {
      const res = await file(payload);
      expect([JSON.stringify(payload), res.statusCode, res.json().error?.code, res.json().error?.field]).toEqual([JSON.stringify(payload), 422, code, field]);
    }
    expect(await filings()).toBe(before);
  });

  it('accepts filings inside the limits, an emergency filed afterwards included', async () => {
    expect((await file({ reason: 'emergency', validFrom: shift(today, -20), validTo: lastDayOf(shift(today, -20), 1) })).statusCode).toBe(201);
    expect((await file({ reason: 'referral', validFrom: shift(today, -7), validTo: lastDayOf(shift(today, -7), 6) })).statusCode).toBe(201);
    expect((await file({ reason: 'resident_elsewhere', validFrom: today, validTo: lastDayOf(today, 24) })).statusCode).toBe(201);
  });

  it('applies the same limits to a resident filing online', async () => {
    const sent: string[] = [];
    const resident = await buildApp({ db: t.db, policies: loadFixturePolicies(), logLevel: 'silent', otpSender: { send: async (m) => void sent.push(m.code) } });
    await resident.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber: f.plain.idNumber } });
    const login = await resident.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber: f.plain.idNumber, code: sent[0] } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const res = await resident.inject({ method: 'POST', url: '/api/v1/me/filings', headers: { cookie }, payload: { treatmentPlace: '拉萨市', reason: 'temporary', validFrom: '2020-01-01', validTo: '2099-12-31' } });
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'FILING_BACKDATED']);
    await resident.close();
  });
});
