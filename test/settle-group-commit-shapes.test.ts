/**
 * Group commit's write statement leaves out the CTEs a batch has nothing for
 * (fee lines, supplementary tier payments, alerts: settle-batch-writes.ts), so
 * each batch goes through one of several statements. Every shape writes what
 * the one-bill path writes for the same bills: batches with and without fee
 * lines and tier payments, mixed, settled together in one database and one by
 * one in another, give the same answers, lines, tier payments, funds, ledger
 * and accumulators; so do batches naming people by QR token (the lock
 * statement finds people by QR token only when a bill names one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { settleBatch, type BatchResult } from '../src/service/settle-batch.ts';
import { importReferenceCatalogues } from '../src/service/insurance-catalogue-import.ts';
import { settleBill, type SettleRequest } from '../src/service/settlement-service.ts';
import type { Db } from '../src/store/db.ts';
import { findFacilityByCode, type FacilityRow } from '../src/store/repositories/facilities.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { CODES, seedFixture, type Fixture } from './support/fixture.ts';
import { loadTieredFixturePolicies } from './support/tiered-policy.ts';

let batched: TestDb;
let alone: TestDb;
let policies: PolicyRegistry;
let f: Fixture;
let facility: { a: FacilityRow; b: FacilityRow };

beforeAll(async () => {
  policies = loadTieredFixturePolicies();
  [batched, alone] = await Promise.all([createTestDb(), createTestDb()]);
  f = await seedFixture(batched.db, policies);
  await seedFixture(alone.db, policies);
  for (const t of [batched, alone]) await importReferenceCatalogues(t.db, 'test');
  facility = { a: (await findFacilityByCode(batched.db, CODES.county))!, b: (await findFacilityByCode(alone.db, CODES.county))! };
}, 120_000);
afterAll(async () => {
  await batched?.drop();
  await alone?.drop();
});

const line = (code: string, quantity: number, unitPrice: number, date: string) => ({ code, quantity, unitPrice, amount: quantity * unitPrice, date, department: '内科' });

/** A bill: with fee lines or with amounts only; large ones reach the supplementary tiers. */
function bill(tx: string, idNumber: string, date: string, opts: { lines?: boolean; compliant?: number }): SettleRequest {
  const visit = { kind: 'inpatient' as const, date };
  if (opts.lines) {
    const lines = [line('XA10BAE054A001', 10, 150, date), line('XJ01DDC175B002', 4, 4_000, date), line('T000700456', 5, 2_000, date)];
    return { transactionId: tx, patient: { idNumber }, visit, lines };
  }
  const compliant = opts.compliant ?? 40_000;
  return { transactionId: tx, patient: { idNumber }, visit, amounts: { total: compliant + 10_000, compliant } };
}

function answer(r: BatchResult): unknown {
  if (!r.ok) return { error: (r.error as { code?: string }).code ?? String(r.error) };
  const { settlement, patient: _p, ...rest } = r.outcome;
  const { id: _id, settled_at: _at, ...row } = settlement;
  return { ...rest, settlement: row };
}

async function rows(db: Db) {
  return {
    lines: await db.query(`SELECT s.transaction_id, l.line_no, l.code, l.class, l.quantity, l.amount_fen, l.above_cap_fen, l.excluded_fen,
        l.self_pay_first_fen, l.compliant_fen FROM settlement_lines l JOIN settlements s ON s.id = l.settlement_id ORDER BY 1, 2`),
    tiers: await db.query(`SELECT s.transaction_id, t.tier, t.amount_fen FROM supplementary_tier_payments t JOIN settlements s ON s.id = t.settlement_id ORDER BY 1, 2`),
    funds: await db.query(`SELECT s.transaction_id, x.fund, x.amount_fen FROM settlement_funds x JOIN settlements s ON s.id = x.settlement_id ORDER BY 1, 2`),
    bills: await db.query(`SELECT s.transaction_id, b.verification, b.declared_compliant_fen FROM settlement_bills b JOIN settlements s ON s.id = b.settlement_id ORDER BY 1`),
    ledger: await db.query(`SELECT account, fund, sum(amount_fen)::bigint AS fen, count(*)::int AS n FROM ledger_entries GROUP BY 1, 2 ORDER BY 1, 2`),
    accumulators: await db.query(`SELECT * FROM accumulators ORDER BY person_id, year`).then((r) => r.map(({ updated_at: _u, ...x }) => x)),
    alerts: await db.query(`SELECT person_id, threshold_id FROM alerts ORDER BY 1, 2`),
  };
}

describe('group commit: the write statement of each batch shape', () => {
  it('writes fee lines, tier payments and plain bills of one batch as one by one would, and batches of each shape alone', async () => {
    const people = [f.plain, f.poor, f.extreme, f.alleviated].map((p) => p.idNumber);
    const batches: SettleRequest[][] = [
      // lines and tiers and plain bills together
      [bill('shape-1a', people[0]!, '2025-03-01', { lines: true }), bill('shape-1b', people[1]!, '2025-03-01', { compliant: 30_000_000 }),
        bill('shape-1c', people[2]!, '2025-03-01', {})],
      // none of them
      [bill('shape-2a', people[0]!, '2025-04-01', {}), bill('shape-2b', people[3]!, '2025-04-01', { compliant: 20_000 })],
      // lines only
      [bill('shape-3a', people[1]!, '2025-05-01', { lines: true }), bill('shape-3b', people[3]!, '2025-05-01', { lines: true })],
      // people named by QR token beside ID numbers (the lock statement's QR branch)
      [{ ...bill('shape-5a', people[0]!, '2025-07-01', {}), patient: { qrToken: f.plain.qrToken } },
        bill('shape-5b', people[1]!, '2025-07-01', { lines: true }), { ...bill('shape-5c', people[2]!, '2025-07-01', {}), patient: { qrToken: f.extreme.qrToken } }],
      // tiers only (large bills)
      [bill('shape-4a', people[2]!, '2025-06-01', { compliant: 25_000_000 }), bill('shape-4b', people[3]!, '2025-06-01', { compliant: 28_000_000 })],
    ];
    for (const requests of batches) {
      const got = await settleBatch({ db: batched.db, policies }, requests.map((request) => ({ facility: facility.a, request })));
      const want: BatchResult[] = [];
      for (const request of requests) want.push({ ok: true, outcome: await settleBill({ db: alone.db, policies }, facility.b, request) });
      expect(got.map(answer)).toEqual(want.map(answer));
      // Really written together: one transaction time for the batch.
      const times = await batched.db.query<{ n: number }>(`SELECT count(DISTINCT settled_at)::int AS n FROM settlements WHERE transaction_id = ANY($1::text[])`,
        [requests.map((r) => r.transactionId)]);
      expect(times[0]!.n).toBe(1);
    }
    const a = await rows(batched.db);
    expect(a).toEqual(await rows(alone.db));
    // The test means something: both kinds of optional rows were written, in batches with and without them.
    expect(new Set(a.lines.map((r) => (r as { transaction_id: string }).transaction_id))).toEqual(new Set(['shape-1a', 'shape-3a', 'shape-3b', 'shape-5b']));
    expect(new Set(a.tiers.map((r) => (r as { transaction_id: string }).transaction_id)).size).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
