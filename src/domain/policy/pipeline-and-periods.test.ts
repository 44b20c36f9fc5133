/**
 * A policy's pipeline (benefits.tiers) and effective-dated changes are checked
 * when the file is loaded: every problem names the file and the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_POLICY_DIR } from '../../../test/support/policies.ts';
import { compilePolicy, PolicyError } from './compile.ts';

const FILE = 'x/dege-2025.yaml';
const dege = readFileSync(join(FIXTURE_POLICY_DIR, 'dege-2025.yaml'), 'utf8');

/** dege-2025 with a tiers list inside benefits and/or top-level lines appended. */
function withTiers(tiers: string, top = ''): string {
  return dege.replace('\nmonitoring:', `  tiers:\n${tiers}\nmonitoring:`) + top;
}
const withChanges = (changes: string): string => `${dege}\nchanges:\n${changes}`;

function problems(text: string): { field: string; message: string }[] {
  try {
    compilePolicy(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    const e = error as PolicyError;
    expect(e.file).toBe(FILE);
    for (const line of e.message.split('\n')) expect(line.startsWith(`${FILE}: `)).toBe(true);
    return [...e.problems];
  }
  throw new Error('expected a PolicyError, but the policy compiled');
}

function expectProblem(text: string, field: string, message: string | RegExp): void {
  const found = problems(text);
  const problem = found.find((p) => p.field === field);
  expect(problem, `a problem at ${field}; got ${JSON.stringify(found)}`).toBeDefined();
  if (typeof message === 'string') expect(problem!.message).toContain(message);
  else expect(problem!.message).toMatch(message);
}

const SUPPLEMENTARY = '    - { kind: supplementary, id: mutual, label: m, schemes: [resident], visitKinds: [inpatient], ratio: 60%, yearlyCap: 1000 }';

describe('benefits.tiers', () => {
  it('a listed pipeline compiles, in its order, with each tier\'s fund', () => {
    const p = compilePolicy(withTiers(`    - basic\n    - { kind: critical, fund: critical }\n${SUPPLEMENTARY}\n    - assistance`), FILE);
    expect(p.benefits.tiers.map((t) => `${t.kind}/${t.fund}`)).toEqual(['basic/basic', 'critical/critical', 'supplementary/supplementary', 'assistance/assistance']);
  });

  it('without a list: SPEC §3.2\'s order, every fund in its place', () => {
    expect(compilePolicy(dege, FILE).benefits.tiers.map((t) => t.kind)).toEqual(['basic', 'critical', 'assistance', 'supplementary', 'tilt']);
  });

  it('refuses an unknown fund', () => {
    expectProblem(withTiers(`    - basic\n    - { kind: critical, fund: catastrophe }`), 'benefits.tiers.1.fund', /catastrophe/);
  });

  it('refuses a tier paying from another tier\'s fund', () => {
    expectProblem(withTiers(`    - basic\n    - { kind: critical, fund: basic }`), 'benefits.tiers.1.fund', 'a critical tier pays from the critical fund, not from basic');
  });

  it('refuses an unknown kind of tier', () => {
    expectProblem(withTiers(`    - basic\n    - lottery`), 'benefits.tiers.1.kind', /lottery|discriminator/i);
  });

  it('refuses a pipeline that does not start with basic, or lists a tier twice', () => {
    expectProblem(withTiers(`    - critical\n    - basic`), 'benefits.tiers.0.kind', 'starts with the basic tier');
    expectProblem(withTiers(`    - basic\n    - critical\n    - critical`), 'benefits.tiers.2', 'listed twice');
    expectProblem(withTiers(`    - basic\n${SUPPLEMENTARY}\n${SUPPLEMENTARY}`), 'benefits.tiers.2', 'supplementary.mutual is listed twice');
  });

  it('refuses a tilt tier without its floors, and floors without a tilt tier', () => {
    expectProblem(withTiers(`    - basic\n    - tilt`), 'benefits.tiers.1', 'needs the benefits.tilt section');
    const haixi = readFileSync(join(FIXTURE_POLICY_DIR, 'haixi-2023.yaml'), 'utf8').replace('\nmonitoring:', '  tiers: [basic, critical]\nmonitoring:');
    try {
      compilePolicy(haixi, 'x/haixi-2023.yaml');
      throw new Error('compiled');
    } catch (error) {
      expect((error as PolicyError).problems).toContainEqual({ field: 'benefits.tilt', message: 'is not in benefits.tiers, so it would never pay' });
    }
  });

  it('refuses a supplementary tier with a bad parameter, naming it', () => {
    expectProblem(withTiers(`    - basic\n${SUPPLEMENTARY.replace('ratio: 60%', 'ratio: 160%')}`), 'benefits.tiers.1.ratio', /above 100%/);
    expectProblem(withTiers(`    - basic\n${SUPPLEMENTARY.replace('schemes: [resident]', 'schemes: [herder]')}`), 'benefits.tiers.1.schemes.0', /herder/);
    expectProblem(withTiers(`    - basic\n${SUPPLEMENTARY.replace('label: m,', 'label: m, attribute: monk,')}`), 'benefits.tiers.1.attribute', /monk/);
  });
});

describe('changes (effective-dated rules)', () => {
  const ratio = (r: string) => `benefits: { resident: { inpatient: { levels: { 2: { deductible: 300, ratio: ${r} } } } } }`;

  it('refuses overlapping changes', () => {
    expectProblem(
      withChanges(`  - { from: "2025-07-01", to: "2025-09-30", ${ratio('90%')} }\n  - { from: "2025-09-15", ${ratio('95%')} }`),
      'changes.1.from',
      '2025-09-15 overlaps changes.0.to (to 2025-09-30)',
    );
    expectProblem(
      withChanges(`  - { from: "2025-07-01", ${ratio('90%')} }\n  - { from: "2025-03-01", ${ratio('95%')} }`),
      'changes.1.from',
      'overlaps the rules from 2025-07-01',
    );
  });

  it('refuses a gap between changes, and at the end of the year', () => {
    expectProblem(
      withChanges(`  - { from: "2025-07-01", to: "2025-08-31", ${ratio('90%')} }\n  - { from: "2025-10-01", ${ratio('95%')} }`),
      'changes.1.from',
      'leaves 2025-09-01 to 2025-09-30 without rules',
    );
    expectProblem(withChanges(`  - { from: "2025-07-01", to: "2025-11-30", ${ratio('90%')} }`), 'changes.0.to', 'leaves 2025-12-01 to 2025-12-31 without rules');
  });

  it('refuses a change outside the year, on 1 January, ending before it starts, or on a date that does not exist', () => {
    expectProblem(withChanges(`  - { from: "2026-02-01", ${ratio('90%')} }`), 'changes.0.from', 'outside the policy\'s year 2025');
    expectProblem(withChanges(`  - { from: "2025-01-01", ${ratio('90%')} }`), 'changes.0.from', 'start on 2025-01-01');
    expectProblem(withChanges(`  - { from: "2025-07-01", to: "2025-06-01", ${ratio('90%')} }`), 'changes.0.to', 'before its from');
    expectProblem(withChanges(`  - { from: "2025-02-30", ${ratio('90%')} }`), 'changes.0.from', 'not a calendar date');
  });

  it('refuses a change whose rules are wrong, naming the field inside the change', () => {
    expectProblem(withChanges(`  - { from: "2025-07-01", ${ratio('190%')} }`), 'changes.0.benefits.resident.inpatient.levels.2.ratio', /above 100%/);
    expectProblem(withChanges(`  - { from: "2025-07-01", benefits: { resident: { chronic: { ratoi: 50% } } } }`), 'changes.0.benefits.resident.chronic', /ratoi/);
    expectProblem(withChanges(`  - { from: "2025-07-01", benefits: { tiers: [basic, { kind: critical, fund: nowhere }] } }`), 'changes.0.benefits.tiers.1.fund', /nowhere/);
  });

  it('refuses an unknown rule date', () => {
    expectProblem(`${dege}\nruleDate: payment\n`, 'ruleDate', /admission|discharge/);
  });
});
