/** The personalAccount section of a policy file: compiled to fen and basis points, every bad value refused with its field. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_POLICY_DIR } from '../../../test/support/policies.ts';
import { compilePolicy, PolicyError } from '../policy/compile.ts';
import { monthlyCredit, parseMonth } from './credit.ts';

const lhasa = readFileSync(join(FIXTURE_POLICY_DIR, 'lhasa-2025.yaml'), 'utf8');
const without = lhasa.slice(0, lhasa.indexOf('\n# Employee personal accounts'));
const withSection = (yaml: string) => compilePolicy(`${without}\npersonalAccount:\n${yaml}\n`, 'lhasa-2025.yaml');

describe('the personalAccount section', () => {
  it('compiles the shipped section, and a policy without one has no accounts', () => {
    expect(compilePolicy(lhasa, 'lhasa-2025.yaml').personalAccount).toEqual({
      inServiceShare: 200, retiredMonthly: 9_000, payable: 'self_pay_compliant', familySharing: { relations: ['spouse', 'parent', 'child'] },
    });
    expect(compilePolicy(without, 'lhasa-2025.yaml').personalAccount).toBeNull();
  });

  it.each([
    ['  inService: { share: 12% }\n  retired: { monthly: 90 }', 'personalAccount.inService.share'],
    ['  inService: { share: 0% }\n  retired: { monthly: 90 }', 'personalAccount.inService.share'],
    ['  inService: { share: 2% }\n  retired: { monthly: 0 }', 'personalAccount.retired.monthly'],
    ['  inService: { share: 2% }\n  retired: { monthly: "90.005" }', 'personalAccount.retired.monthly'],
    ['  inService: { share: 2% }\n  retired: { monthly: 20000 }', 'personalAccount.retired.monthly'],
    ['  inService: { share: 2% }\n  retired: { monthly: 90 }\n  payable: everything', 'personalAccount.payable'],
    ['  inService: { share: 2% }\n  retired: { monthly: 90 }\n  familySharing: { relations: [cousin] }', 'personalAccount.familySharing.relations.0'],
    ['  inService: { share: 2% }\n  retired: { monthly: 90 }\n  familySharing: { relations: [spouse, spouse] }', 'personalAccount.familySharing.relations'],
    ['  retired: { monthly: 90 }', 'personalAccount.inService'],
    ['  inService: { share: 2% }\n  retired: { monthly: 90 }\n  bonus: 5', 'personalAccount'],
  ])('refuses %j, naming %s', (yaml, field) => {
    const run = () => withSection(yaml);
    expect(run).toThrow(PolicyError);
    try {
      run();
    } catch (error) {
      expect((error as PolicyError).problems.map((p) => p.field)).toContain(field);
    }
  });
});

describe('monthlyCredit', () => {
  const rules = withSection('  inService: { share: "2.5%" }\n  retired: { monthly: "87.50" }').personalAccount!;
  it.each([
    [{ status: 'in_service' as const, base: 800_000 }, { amount: 20_000, rule: 'account.credit.in_service' }],
    [{ status: 'in_service' as const, base: 333_333 }, { amount: 8_333, rule: 'account.credit.in_service' }], // 8,333.325 → half-up
    [{ status: 'in_service' as const, base: 333_340 }, { amount: 8_334, rule: 'account.credit.in_service' }], // 8,333.5 → 8,334
    [{ status: 'retired' as const, base: null }, { amount: 8_750, rule: 'account.credit.retired' }],
    [{ status: 'retired' as const, base: 800_000 }, { amount: 8_750, rule: 'account.credit.retired' }],
  ])('%j → %j', (person, expected) => {
    expect(monthlyCredit(rules, person)).toMatchObject(expected);
  });
  it('skips an in-service employee without a base', () => {
    expect(monthlyCredit(rules, { status: 'in_service', base: null })).toEqual({ skipped: 'no_contribution_base' });
  });
  it.each([['2025-06', '2025-06'], ['2025-13', null], ['2025-00', null], ['2025-6', null], [' 2025-12 ', '2025-12'], ['202506', null]])('parseMonth(%j) → %j', (text, month) => {
    expect(parseMonth(text)).toBe(month);
  });
});
