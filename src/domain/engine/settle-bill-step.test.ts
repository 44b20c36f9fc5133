/** The engine tells how the compliant amount came about after the funds' steps, and only for the bill it settles. */
import { describe, expect, it } from 'vitest';
import { loadFixturePolicies } from '../../../test/support/policies.ts';
import { unverifiedBillStep } from '../catalogue/bill-step.ts';
import { settle } from './settle.ts';
import { fundSteps } from './types.ts';

const policy = loadFixturePolicies().get('dege-2025')!;
const input = {
  person: { scheme: 'resident' as const, identities: [] },
  visit: { kind: 'inpatient' as const, level: 2 as const, date: '2025-07-10' },
  amounts: { total: 1_000_000, compliant: 800_000 },
};

describe('the bill step in the engine', () => {
  it('comes after the funds’ steps, which stay as they were, and changes no money', () => {
    const plain = settle(policy, input);
    const told = settle(policy, { ...input, bill: unverifiedBillStep(1_000_000, 800_000) });
    expect(told.steps.slice(0, -1)).toEqual(plain.steps);
    expect(told.steps.at(-1)).toEqual({ fund: 'bill', rule: 'bill.unverified', base: 1_000_000, amount: 800_000, note: 'compliant amount as declared by the hospital' });
    expect(fundSteps(told.steps)).toEqual(plain.steps);
    expect({ ...told, steps: [] }).toEqual({ ...plain, steps: [] });
  });

  it('refuses an explanation of another bill', () => {
    expect(() => settle(policy, { ...input, bill: unverifiedBillStep(1_000_000, 700_000) })).toThrow(expect.objectContaining({ code: 'BILL_STEP_MISMATCH', field: 'amounts' }));
  });
});
