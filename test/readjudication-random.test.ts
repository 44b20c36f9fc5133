/**
 * Issue 11 at the database: random interleavings of settlements and reversals
 * for one person end with the same accumulators (each supplementary tier's
 * year included), per-fund totals (adjustments included) and standing alerts
 * as a twin who settled only the surviving bills, in order. Few runs: each is
 * a dozen real transactions. The Dege policy here lists two supplementary
 * tiers with small caps (test/support/tiered-policy.ts), so caps bind.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import type { Identity } from '../src/domain/vocabulary.ts';
import { readSupplementaryYearToDate, readYearToDate } from '../src/store/repositories/accumulators.ts';
import type { TestDb } from './support/db.ts';
import { loadTieredFixturePolicies } from './support/tiered-policy.ts';
import { KEYS } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { addEnrolledPerson } from './support/more-persons.ts';

let t: TestDb;
let app: FastifyInstance;
let policies: PolicyRegistry;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadTieredFixturePolicies() });
  ({ t, app, policies } = testApp);
});
afterAll(() => testApp?.close());

const FACILITIES = [KEYS.county, KEYS.clinic] as const;
interface Bill { key: string; kind: 'inpatient' | 'outpatient'; date: string; total: number; compliant: number; facility: number }

async function settle(transactionId: string, idNumber: string, b: Bill) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${FACILITIES[b.facility]}` },
    payload: { transactionId, patient: { idNumber }, visit: { kind: b.kind, date: b.date }, amounts: { total: b.total, compliant: b.compliant } },
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function year(personId: number) {
  const totals: Record<string, number> = { selfPay: 0 };
  for (const key of FACILITIES) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${personId}&year=2025`, headers: { authorization: `Bearer ${key}` } });
    for (const s of res.json().items as { status: string; effective: { funds: Record<string, number>; selfPay: number } }[]) {
      if (s.status !== 'settled') continue;
      for (const [fund, amount] of Object.entries(s.effective.funds)) totals[fund] = (totals[fund] ?? 0) + amount;
      totals.selfPay! += s.effective.selfPay;
    }
  }
  const alerts = await t.db.query<{ threshold_id: string; risk: string }>(
    'SELECT threshold_id, risk FROM alerts WHERE person_id = $1 AND year = 2025 AND withdrawn_at IS NULL ORDER BY threshold_id', [personId]);
  return { ytd: await readYearToDate(t.db, personId, 2025), tiers: await readSupplementaryYearToDate(t.db, personId, 2025), totals, alerts };
}

const billArb = fc.record({
  kind: fc.constantFrom<'inpatient' | 'outpatient'>('inpatient', 'inpatient', 'outpatient'),
  month: fc.integer({ min: 1, max: 12 }),
  compliant: fc.integer({ min: 0, max: 12_000_000 }),
  excluded: fc.integer({ min: 0, max: 2_500_000 }),
  facility: fc.integer({ min: 0, max: 1 }),
}).map((b) => ({ ...b, date: `2025-${String(b.month).padStart(2, '0')}-10`, total: b.compliant + b.excluded }));

const opArb = fc.oneof(
  { weight: 3, arbitrary: billArb.map((bill) => ({ op: 'settle' as const, bill })) },
  { weight: 1, arbitrary: fc.nat().map((n) => ({ op: 'reverse' as const, n })) },
);

let run = 0;
describe('random interleavings at the database', () => {
  it('end as settling only the surviving bills in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 2, maxLength: 8 }), fc.constantFrom<Identity[]>([], ['minimum_living'], ['poverty_alleviated']), async (ops, identities) => {
        run += 1;
        const x = await addEnrolledPerson(t.db, policies, identities);
        const y = await addEnrolledPerson(t.db, policies, identities);
        const surviving: Bill[] = [];
        let n = 0;
        for (const op of ops) {
          if (op.op === 'settle') {
            const bill = { ...op.bill, key: `RX${run}-${++n}` };
            await settle(bill.key, x.idNumber, bill);
            surviving.push(bill);
          } else if (surviving.length > 0) {
            const [gone] = surviving.splice(op.n % surviving.length, 1);
            const res = await app.inject({
              method: 'POST', url: `/api/v1/settlements/${gone!.key}/reversal`, headers: { authorization: `Bearer ${FACILITIES[gone!.facility]}` }, payload: { reversalId: `${gone!.key}-R` },
            });
            expect(res.statusCode, res.body).toBe(200);
          }
        }
        for (const bill of surviving) await settle(`RY${bill.key}`, y.idNumber, bill);
        expect(await year(x.id)).toEqual(await year(y.id));
      }),
      { numRuns: 6 },
    );
  }, 240_000);
});
