/**
 * Issue 18's property: whatever the order of first attempts, retries and
 * changed retries of a few transaction ids at two facilities, with bills on
 * either side of the turn of the year and `year open` run in between, each
 * (facility, transaction id) has at most one settlement and one key, a retry
 * answers the first answer whole, and a changed retry is refused. Few runs:
 * each is a dozen real transactions and may open a year (four partitions).
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { openYear } from '../src/service/year-partitions.ts';
import type { TestDb } from './support/db.ts';
import { KEYS } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { enrollFor2026, loadPoliciesWithDege2026 } from './support/year-two-policy.ts';

let testApp: TestApp;
let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadPoliciesWithDege2026() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const FACILITIES = [KEYS.county, KEYS.clinic] as const;
const DATES = ['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02'] as const;

const opArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('settle' as const),
      tx: fc.integer({ min: 0, max: 2 }),
      facility: fc.integer({ min: 0, max: 1 }),
      date: fc.constantFrom(...DATES),
      total: fc.constantFrom(80_000, 120_000),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'open' as const }) },
);

/** Years opened by this file, one after another (a year is never opened before one already open). */
let nextYear = 2026;
let run = 0;

describe('retries across the turn of the year and year open', () => {
  it('find one settlement per transaction id and answer the first answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 3, maxLength: 10 }), async (ops) => {
        run += 1;
        const person = await addEnrolledPerson(t.db, policies);
        await enrollFor2026(t.db, person.id);
        const first = new Map<string, { request: unknown; answer: Record<string, unknown> }>();
        for (const o of ops) {
          if (o.op === 'open') {
            if (nextYear > 2100) continue;
            const opened = await openYear(t.db, nextYear, 'test');
            expect(opened.opened).toBe(true);
            nextYear += 1;
            continue;
          }
          const transactionId = `P${run}-${o.tx}`;
          const key = `${o.facility}:${transactionId}`;
          const request = { transactionId, patient: { idNumber: person.idNumber }, visit: { kind: 'inpatient', date: o.date }, amounts: { total: o.total, compliant: o.total } };
          const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${FACILITIES[o.facility]}` }, payload: request });
          const known = first.get(key);
          if (!known) {
            expect(res.statusCode, res.body).toBe(201);
            first.set(key, { request, answer: res.json() });
          } else if (JSON.stringify(known.request) === JSON.stringify(request)) {
            expect(res.statusCode, res.body).toBe(200);
            expect(res.json()).toEqual({ ...known.answer, replayed: true });
          } else {
            expect(res.statusCode, res.body).toBe(409);
            expect(res.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
          }
        }
        // At the database: one settlement and one key per (facility, transaction id) answered, nothing for the others.
        const rows = await t.db.query<{ facility_id: string; transaction_id: string; settlements: string; keys: string; id: string }>(
          `SELECT k.facility_id::text, k.transaction_id, (SELECT count(*) FROM settlements s WHERE s.facility_id = k.facility_id AND s.transaction_id = k.transaction_id)::text AS settlements,
             (SELECT count(*) FROM settlement_keys x WHERE x.facility_id = k.facility_id AND x.transaction_id = k.transaction_id)::text AS keys, k.settlement_id::text AS id
             FROM settlement_keys k WHERE k.transaction_id LIKE $1`,
          [`P${run}-%`],
        );
        expect(rows).toHaveLength(first.size);
        for (const r of rows) {
          expect([r.settlements, r.keys]).toEqual(['1', '1']);
          const f = [...first.values()].find((x) => (x.answer as { transactionId: string; id: number }).transactionId === r.transaction_id && (x.answer as { id: number }).id === Number(r.id));
          expect(f, `${r.transaction_id} keyed to the settlement first answered`).toBeDefined();
        }
        const [settled] = await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM settlements WHERE person_id = $1', [person.id]);
        expect(Number(settled!.n)).toBe(first.size);
      }),
      { numRuns: 12 },
    );
  });
});
