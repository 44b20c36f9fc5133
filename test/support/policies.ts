/**
 * The policies the tests use: copies under test/fixtures/policies, owned by the
 * tests, so a bureau editing the shipped ones in policies/ never breaks the suite.
 * vitest.config.ts points SANBAO_POLICY_DIR here for the CLI and service the tests start.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicies, type PolicyRegistry } from '../../src/domain/policy/registry.ts';

export const FIXTURE_POLICY_DIR = resolve(fileURLToPath(new URL('../fixtures/policies', import.meta.url)));

/** The fixture policies, read once per test file. */
export function loadFixturePolicies(): PolicyRegistry {
  return loadPolicies(FIXTURE_POLICY_DIR);
}
