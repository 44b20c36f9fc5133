/**
 * A push's payload, whole: what the departments' systems receive for each
 * department of a case, opened by real time or by a monthly run — every key
 * and nothing more, from the alert, its case and the person as stored.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { runMonthly } from '../src/service/monitoring-run.ts';
import type { TestDb } from './support/db.ts';
import { backdate, forgetAlerts, settleBill } from './support/monitoring.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

interface Push { case_id: number; department: string; dedupe_key: string; payload: Record<string, unknown> }

/** Each push of the person's cases beside the payload its alert, case and person call for. */
async function pushesOf(personId: number): Promise<{ push: Push; expected: Record<string, unknown> }[]> {
  const rows = await t.db.query<Push & { alert: Record<string, any>; person: Record<string, any>; household_code: string | null } & Record<string, unknown>>(
    `SELECT o.case_id::int, o.department, o.dedupe_key, o.payload, to_jsonb(a) AS alert, to_jsonb(p) AS person, h.code AS household_code
     FROM outbox o JOIN monitoring_cases c ON c.id = o.case_id JOIN alerts a ON a.id = c.alert_id
     JOIN persons p ON p.id = c.person_id LEFT JOIN households h ON h.id = p.household_id
     WHERE c.person_id = $1 ORDER BY o.id`,
    [personId],
  );
  return rows.map(({ alert: a, person: p, household_code, ...push }) => ({
    push,
    expected: {
      dedupeKey: `sanbao-alert-${a.id}-${push.department}`, kind: 'monitoring.alert', department: push.department,
      caseId: push.case_id, alertId: a.id, year: a.year, risk: a.risk,
      threshold: { id: a.threshold_id, amountFen: a.threshold_fen },
      yearlySelfPayFen: a.yearly_self_pay, source: a.source, raisedAt: a.created_at,
      person: { id: p.id, idNumber: p.id_number, name: p.name, divisionCode: p.division_code, householdCode: household_code, phone: p.phone },
    },
  }));
}

describe("a push's payload", () => {
  it('is the same whole object whether real time or a monthly run opened the case', async () => {
    const person = testApp.f.alleviated;
    await settleBill(app, person.idNumber, 3_000_000, 1_000_000, '2025-03-01');
    const realTime = await pushesOf(person.id);
    expect(realTime.map((p) => p.push.department).sort()).toEqual(['county_bureau', 'rural_revitalization']);
    for (const { push, expected } of realTime) {
      expect(push.dedupe_key).toBe(expected.dedupeKey);
      expect(push.payload).toEqual(expected);
    }

    await backdate(t.db, person.id, '2025-03-01T02:00:00Z');
    await forgetAlerts(t.db, [person.id]);
    const run = await runMonthly({ db: t.db, policies }, '2025-03', 'test');
    expect(run.statistics.raisedByRun).toBe(1);
    const monthly = await pushesOf(person.id);
    expect(monthly).toHaveLength(2);
    for (const { push, expected } of monthly) {
      expect(push.payload).toEqual(expected);
      expect(push.payload.source).toBe('monthly');
    }
  }, 60_000);
});
