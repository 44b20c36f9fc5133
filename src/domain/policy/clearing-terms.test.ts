import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicy, PolicyError } from './compile.ts';

const dege = readFileSync(new URL('../../../policies/dege-2025.yaml', import.meta.url), 'utf8');
const withClearing = (section: string) => dege.replace(/\nclearing:[\s\S]*$/, `\n${section}\n`);

describe('clearing terms in a policy file', () => {
  it('reads the quality deposit and the budgets, in basis points and fen', () => {
    const p = compilePolicy(withClearing('clearing:\n  qualityDeposit: "5%"\n  facilityBudgets: { H1: "12000000.50" }\n  fundBudgets: { basic: 180000000, supplementary.county_mutual_aid: "1000" }'), 'dege-2025.yaml');
    expect(p.clearing.qualityDeposit).toBe(500);
    expect(p.clearing.facilityBudgets.get('H1')).toBe(1_200_000_050);
    expect(p.clearing.fundBudgets.get('basic')).toBe(18_000_000_000);
    expect(p.clearing.fundBudgets.get('supplementary.county_mutual_aid')).toBe(100_000);
  });

  it('is optional: nothing withheld, no budget', () => {
    const p = compilePolicy(dege.replace(/\nclearing:[\s\S]*$/, '\n'), 'dege-2025.yaml');
    expect(p.clearing.qualityDeposit).toBe(0);
    expect(p.clearing.facilityBudgets.size).toBe(0);
  });

  it.each([
    ['qualityDeposit: "35%"', 'clearing.qualityDeposit'],
    ['qualityDeposit: "5.555%"', 'clearing.qualityDeposit'],
    ['fundBudgets: { basic: "-1" }', 'clearing.fundBudgets.basic'],
    ['fundBudgets: { basic: 0 }', 'clearing.fundBudgets.basic'],
    ['fundBudgets: { nofund: 1 }', 'clearing.fundBudgets'],
    ['deposit: "5%"', 'clearing'],
  ])('refuses %s, naming %s', (line, field) => {
    let error: unknown;
    try {
      compilePolicy(withClearing(`clearing:\n  ${line}`), 'dege-2025.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toContain(field);
  });
});
