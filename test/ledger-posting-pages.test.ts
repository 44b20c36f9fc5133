/**
 * Posting bulk-loaded contributions (issue 18): the loader's payments get
 * their journals page by page, each page after the last id of the one before
 * (a keyset), so no payment is read twice, none is skipped and none is posted
 * twice. (At 40,000 people the posting re-read every posted payment on each
 * page and took minutes: `npm run bench:load-county` shows it linear.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FULL_DEMO, generateCounty } from '../src/demo/generate.ts';
import { loadCounty } from '../src/demo/load.ts';
import { postUnpostedPayments } from '../src/service/ledger-posting.ts';
import { unpostedPayments } from '../src/store/repositories/ledger.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
const stages: { stage: string; done: number; total: number }[] = [];
beforeAll(async () => {
  t = await createTestDb();
  await loadCounty(t.db, loadFixturePolicies(), generateCounty({ ...FULL_DEMO, persons: 300, seed: 18, year: 2025 }), {
    year: 2025,
    notEnrolledShare: 0.05,
    onProgress: (stage, done, total) => stages.push({ stage, done, total }),
  });
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

const counts = async () => {
  const [row] = await t.db.query<{ payments: number; journals: number; sources: number }>(
    `SELECT (SELECT count(*)::int FROM payments WHERE batch_id IS NULL) AS payments,
       (SELECT count(*)::int FROM ledger_journals WHERE kind = 'contribution') AS journals,
       (SELECT count(DISTINCT source)::int FROM ledger_journals WHERE kind = 'contribution') AS sources`,
  );
  return row!;
};

it('the loader posts one contribution journal per payment, and reports its progress', async () => {
  const c = await counts();
  expect(c.payments).toBeGreaterThan(200);
  expect(c.journals).toBe(c.payments);
  expect(c.sources).toBe(c.payments);
  const posting = stages.filter((s) => s.stage === 'contributions');
  expect(posting.at(-1)).toEqual({ stage: 'contributions', done: c.payments, total: c.payments });
});

it('a page holds only payments after the id it is given, in id order, and none already posted', async () => {
  const first = (await t.db.query<{ id: number }>('SELECT min(id)::int AS id FROM payments'))[0]!.id;
  expect(await unpostedPayments(t.db, 10, 0)).toEqual([]); // all posted by the loader
  // Three payments without their journal (as a bulk load leaves them), between posted ones.
  const fresh = await t.db.query<{ id: number }>(
    `INSERT INTO payments (person_id, year, kind, amount_fen, method, recorded_by)
     SELECT person_id, year, 'individual', 100, 'cash', 'test' FROM payments WHERE id >= $1 ORDER BY id LIMIT 3 RETURNING id::int AS id`,
    [first],
  );
  const ids = fresh.map((r) => r.id).sort((a, b) => a - b);
  expect((await unpostedPayments(t.db, 10, 0)).map((p) => p.id)).toEqual(ids);
  expect((await unpostedPayments(t.db, 10, ids[0]!)).map((p) => p.id)).toEqual(ids.slice(1));
  expect((await unpostedPayments(t.db, 1, ids[1]!)).map((p) => p.id)).toEqual([ids[2]]);
  expect(await unpostedPayments(t.db, 10, ids[2]!)).toEqual([]);
});

it('posting in small pages posts each unposted payment once, and again posts nothing', async () => {
  await t.db.query(
    `INSERT INTO payments (person_id, year, kind, amount_fen, method, recorded_by)
     SELECT person_id, year, 'individual', 200, 'bank', 'test' FROM payments WHERE recorded_by = 'demo' ORDER BY id LIMIT 120`,
  );
  const before = await counts();
  expect(before.payments - before.journals).toBe(123); // 3 of the test before and these
  const progress: number[] = [];
  const posted = await postUnpostedPayments(t.db, 'test', { pageSize: 25, onProgress: (n) => progress.push(n) });
  expect(posted).toBe(123);
  expect(progress).toEqual([25, 50, 75, 100, 123]);
  const after = await counts();
  expect(after.journals).toBe(after.payments);
  expect(after.sources).toBe(after.payments);
  expect(await postUnpostedPayments(t.db, 'test', { pageSize: 25 })).toBe(0);
});
