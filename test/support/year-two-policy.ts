/**
 * The fixture policies with a Dege policy for 2026 beside dege-2025 (the same
 * benefits, its dates a year on), and enrolling a person for 2026: for tests
 * whose bills cross the turn of the year.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePolicy } from '../../src/domain/policy/compile.ts';
import { PolicyRegistry } from '../../src/domain/policy/registry.ts';
import type { Db } from '../../src/store/db.ts';
import { FIXTURE_POLICY_DIR, loadFixturePolicies } from './policies.ts';

export function loadPoliciesWithDege2026(): PolicyRegistry {
  const text = readFileSync(join(FIXTURE_POLICY_DIR, 'dege-2025.yaml'), 'utf8')
    .replace(/dege-2025/g, 'dege-2026')
    .replace(/^year: 2025$/m, 'year: 2026')
    .replace(/"2025-/g, '"2026-')
    .replace(/"2024-/g, '"2025-');
  return new PolicyRegistry([...loadFixturePolicies().list(), compilePolicy(text, 'dege-2026.yaml')]);
}

/** Enrolls the person for 2026 as they are for 2025 (same tier and contribution, paid). */
export async function enrollFor2026(db: Db, personId: number): Promise<void> {
  await db.query(
    `INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_kind,
       subsidy_department, individual_fen, paid_fen, status)
     SELECT person_id, 2026, 'dege-2026', scheme, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_kind,
       subsidy_department, individual_fen, paid_fen, status FROM enrollments WHERE person_id = $1 AND year = 2025`,
    [personId],
  );
}
