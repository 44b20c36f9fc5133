/**
 * The claim-review rules in the settle statements (review-rules-version.ts):
 * sent only when their version differs from the rules the caller holds. A rule
 * switched off, changed, added or removed is seen by the next statement; while
 * nothing changes, the rules held are used (not sent again); two databases
 * never share what is held; two statements in flight each resolve against what
 * was held when they were sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_DAYS } from '../src/service/claim-review.ts';
import type { Db } from '../src/store/db.ts';
import { findFacilityByCode } from '../src/store/repositories/facilities.ts';
import { saveRule, type StoredRule } from '../src/store/repositories/review-flags.ts';
import { askRules, rulesHeldFor, type RulesHeld } from '../src/store/repositories/review-rules-version.ts';
import { lockAndReadBatch } from '../src/store/repositories/settle-batch-lock.ts';
import { lockSettleContext } from '../src/store/repositories/settle-writes.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { CODES, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let a: TestDb;
let b: TestDb;
let f: Fixture;
let facilityId: number;

beforeAll(async () => {
  const policies = loadFixturePolicies();
  [a, b] = await Promise.all([createTestDb(), createTestDb()]);
  f = await seedFixture(a.db, policies);
  await seedFixture(b.db, policies);
  facilityId = (await findFacilityByCode(a.db, CODES.county))!.id;
}, 120_000);
afterAll(async () => {
  await a?.drop();
  await b?.drop();
});

let n = 0;
/** The rules the batch statement gives a bill's context (in a transaction rolled back: nothing kept). */
async function rulesSeen(db: Db, held: RulesHeld): Promise<StoredRule[]> {
  let rules: StoredRule[] | undefined;
  await db.transaction(async (tx) => {
    const locked = await lockAndReadBatch(tx, [f.plain, f.poor].map((p) => ({
      patient: { idNumber: p.idNumber }, year: 2025, facilityId, transactionId: `rules-${n++}`, visitDate: '2025-06-01',
    })), HISTORY_DAYS, held);
    rules = locked.get(0)!.context!.rules;
    expect(locked.get(1)!.context!.rules).toEqual(rules);
  });
  return rules!;
}

const stored = async (db: Db) => db.query<StoredRule & Record<string, unknown>>('SELECT id, enabled, params FROM review_rules ORDER BY id');

describe('claim-review rules in the settle statements', () => {
  it('are sent when they changed and reused while they did not', async () => {
    const held = rulesHeldFor(a.db);
    expect(await rulesSeen(a.db, held)).toEqual(await stored(a.db));
    const first = held.rules;
    expect(first.length).toBeGreaterThan(0);
    // Nothing changed: the rules held are used (the same array, not sent again).
    expect(await rulesSeen(a.db, held)).toBe(first);
    // Switched off: the next statement sees it.
    await saveRule(a.db, { id: 'outpatient_splitting', enabled: false, params: {} }, 'test');
    const off = await rulesSeen(a.db, held);
    expect(off.find((r) => r.id === 'outpatient_splitting')?.enabled).toBe(false);
    expect(off).toEqual(await stored(a.db));
    // Changed back, in the same values as at first: still a new version (another transaction wrote the row).
    await saveRule(a.db, { id: 'outpatient_splitting', enabled: true, params: {} }, 'test');
    expect((await rulesSeen(a.db, held)).find((r) => r.id === 'outpatient_splitting')?.enabled).toBe(true);
    // Removed, and added: seen too.
    await a.db.query(`DELETE FROM review_rules WHERE id = 'outpatient_splitting'`);
    expect((await rulesSeen(a.db, held)).map((r) => r.id)).not.toContain('outpatient_splitting');
    await a.db.query(`INSERT INTO review_rules (id, enabled, params) VALUES ('outpatient_splitting', false, '{}')`);
    expect((await rulesSeen(a.db, held)).find((r) => r.id === 'outpatient_splitting')?.enabled).toBe(false);
    expect(await rulesSeen(a.db, held)).toEqual(await stored(a.db));
  });

  it('in the one-bill context statement too: a change is seen by the next bill, nothing re-sent meanwhile', async () => {
    const held: RulesHeld = { version: undefined, rules: [] };
    const alone = async () => {
      let rules: StoredRule[] | undefined;
      await a.db.transaction(async (tx) => {
        rules = (await lockSettleContext(tx, { idNumber: f.plain.idNumber }, 2025, { facilityId, transactionId: `alone-${n++}`, visitDate: '2025-06-01' }, HISTORY_DAYS, held))!.rules;
      });
      return rules!;
    };
    expect(await alone()).toEqual(await stored(a.db));
    const first = held.rules;
    expect(await alone()).toBe(first);
    await saveRule(a.db, { id: 'sex_restriction', enabled: false, params: {} }, 'test');
    expect((await alone()).find((r) => r.id === 'sex_restriction')?.enabled).toBe(false);
    expect(await alone()).toEqual(await stored(a.db));
    // Without rules held (another caller), they are always sent.
    let once: StoredRule[] | undefined;
    await a.db.transaction(async (tx) => {
      once = (await lockSettleContext(tx, { idNumber: f.plain.idNumber }, 2025, { facilityId, transactionId: `alone-${n++}`, visitDate: '2025-06-01' }, HISTORY_DAYS))!.rules;
    });
    expect(once).toEqual(await stored(a.db));
  });

  it('are held per database: another database with other rules gets its own', async () => {
    expect(rulesHeldFor(b.db)).not.toBe(rulesHeldFor(a.db));
    await saveRule(b.db, { id: 'readmission', enabled: false, params: {} }, 'test');
    expect(await rulesSeen(b.db, rulesHeldFor(b.db))).toEqual(await stored(b.db));
    expect(await rulesSeen(a.db, rulesHeldFor(a.db))).toEqual(await stored(a.db));
  });

  it('resolve a statement not sent the rules against what was held when it was sent', () => {
    const held: RulesHeld = { version: 'a:1', rules: [{ id: 'a', enabled: true, params: null }] };
    const early = askRules(held);
    expect(early.param).toBe('a:1');
    // Another statement in flight brings newer rules meanwhile.
    const late = askRules(held);
    late.rulesOf({ rules_version: 'a:2', rules: [{ id: 'a', enabled: false, params: null }] });
    expect(held.version).toBe('a:2');
    // The early statement was not sent any (its version was the one held then): it stands for the rules held then.
    expect(early.rulesOf({ rules_version: 'a:1', rules: null })).toEqual([{ id: 'a', enabled: true, params: null }]);
    expect(() => askRules({ version: undefined, rules: [] }).rulesOf({ rules_version: 'a:1', rules: null })).toThrow();
    expect(askRules(undefined).param).toBe('#none');
  });
});
