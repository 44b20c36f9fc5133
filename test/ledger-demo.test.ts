/** The demo county's books: its bulk-loaded contributions and its year of bills leave a ledger that verifies. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDemo } from '../src/demo/demo.ts';
import { SMALL_DEMO } from '../src/demo/generate.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, loadFixturePolicies(), { ...SMALL_DEMO, persons: 120 });
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

it('the demo ledger balances and equals its settlements and contributions', async () => {
  const v = await verifyLedger(t.db);
  expect(v.firstDifference).toBeNull();
  const contributions = v.checks.find((c) => c.name === 'contributions')!;
  const bills = v.checks.find((c) => c.name === 'settlements')!;
  expect(contributions.sources).toBeGreaterThan(50);
  expect(bills.sources).toBeGreaterThan(0);
  expect(contributions.ledgerTotal).toBe(contributions.sourceTotal);
});
