/**
 * The coverage report's people in difficulty (issue 18: counted by one join
 * over the identities instead of a probe per person): a person holding two
 * identities in force counts once; an identity ended, or valid only outside
 * the year, does not count; an identity valid for part of the year does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { ATTESTING_DEPARTMENT, type Identity } from '../src/domain/vocabulary.ts';
import { coverage } from '../src/service/enrollment-reports.ts';
import { insertIdentity } from '../src/store/repositories/persons.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture } from './support/fixture.ts';
import { addEnrolledPerson } from './support/more-persons.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let policies: PolicyRegistry;
beforeAll(async () => {
  t = await createTestDb();
  policies = loadFixturePolicies();
  await seedFixture(t.db, policies);
});
afterAll(() => t?.drop());

const county = async () => (await coverage(t.db, 2025, '513330')).lines.find((l) => l.code === '513330')!;
const give = (personId: number, identity: Identity, validFrom: string, validTo: string | null = null) =>
  insertIdentity(t.db, { personId, identity, validFrom, validTo, department: ATTESTING_DEPARTMENT[identity], source: 'test' });

describe('people in difficulty in the coverage report', () => {
  it('counts each person once, by identities in force at some time in the year', async () => {
    const before = await county();
    const two = await addEnrolledPerson(t.db, policies);
    await give(two.id, 'monitored', '2025-01-01');
    await give(two.id, 'poverty_alleviated', '2025-03-01');
    const partYear = await addEnrolledPerson(t.db, policies);
    await give(partYear.id, 'monitored', '2024-06-01', '2025-01-31');
    const outside = await addEnrolledPerson(t.db, policies);
    await give(outside.id, 'monitored', '2023-01-01', '2024-12-31');
    await give(outside.id, 'poverty_alleviated', '2026-01-01');
    const ended = await addEnrolledPerson(t.db, policies);
    const id = await give(ended.id, 'monitored', '2025-01-01');
    await t.db.query('UPDATE identities SET ended_at = now() WHERE id = $1', [id]);
    const after = await county();
    expect(after.target - before.target).toBe(4);
    expect(after.difficultyTarget - before.difficultyTarget).toBe(2);
    expect(after.difficultyEnrolled - before.difficultyEnrolled).toBe(2);
  });
});
