/**
 * The Dege fixture policy with two test supplementary tiers listed after
 * assistance (values chosen for the arithmetic, not a bureau's): A pays 50 % of
 * what is unpaid up to 1,000 yuan a year (60 % from 1 July), B 50 % of what A
 * left up to 1,500 yuan. Tests of each tier's own year use it in place of dege-2025.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilePolicy } from '../../src/domain/policy/compile.ts';
import { PolicyRegistry } from '../../src/domain/policy/registry.ts';
import type { Policy } from '../../src/domain/policy/types.ts';
import { FIXTURE_POLICY_DIR, loadFixturePolicies } from './policies.ts';

const TIERS = (aRatio: string) => `  tiers:
    - basic
    - critical
    - assistance
    - { kind: supplementary, id: mutual_a, label: test tier A, schemes: [resident], visitKinds: [inpatient], ratio: ${aRatio}, yearlyCap: 1000 }
    - { kind: supplementary, id: mutual_b, label: test tier B, schemes: [resident], visitKinds: [inpatient], ratio: 50%, yearlyCap: 1500 }
`;

export function tieredDege(): Policy {
  const text = readFileSync(join(FIXTURE_POLICY_DIR, 'dege-2025.yaml'), 'utf8').replace(
    '\nmonitoring:',
    `${TIERS('50%')}\nchanges:\n  - from: "2025-07-01"\n    note: tier A pays 60 %\n    benefits:\n${TIERS('60%').replace(/^/gm, '    ')}\nmonitoring:`,
  );
  return compilePolicy(text, 'dege-2025.yaml');
}

/** The fixture policies with dege-2025 replaced by its tiered twin. */
export function loadTieredFixturePolicies(): PolicyRegistry {
  return new PolicyRegistry([...loadFixturePolicies().list().filter((p) => p.id !== 'dege-2025'), tieredDege()]);
}
