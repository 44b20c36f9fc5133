/**
 * The console explains each step by its rule's sentence in the catalogues: the
 * supplementary tiers of the Lhasa policies (shipped and fixture) have theirs,
 * in every language, with the placeholders the step fills ({base}, {ratio}, {deductible}).
 */
import { describe, expect, it } from 'vitest';
import { loadPolicies, REFERENCE_POLICY_DIR } from '../src/domain/policy/registry.ts';
import { bo } from '../web/src/i18n/bo.ts';
import { en } from '../web/src/i18n/en.ts';
import { zhCN } from '../web/src/i18n/zh-CN.ts';
import { loadFixturePolicies } from './support/policies.ts';

const FILLED = new Set(['base', 'ratio', 'deductible', 'identity', 'before', 'after', 'threshold']);

function supplementaryIds(): string[] {
  const ids = new Set<string>();
  for (const registry of [loadFixturePolicies(), loadPolicies(REFERENCE_POLICY_DIR)]) {
    for (const policy of registry.list()) {
      for (const period of policy.periods) {
        for (const tier of period.benefits.tiers) if (tier.kind === 'supplementary' && tier.rule && tier.rule.id !== 'supplementary') ids.add(tier.rule.id);
      }
    }
  }
  return [...ids].sort();
}

describe('sentences for the supplementary tiers', () => {
  const ids = supplementaryIds();

  it('the Lhasa policies list the three the seeds name', () => {
    expect(ids).toEqual(['civil_servant_subsidy', 'county_mutual_aid', 'employee_large_amount']);
  });

  it.each(ids)('%s: a sentence for paying and for not applying, in every language', (id) => {
    for (const catalogue of [zhCN, en, bo] as Record<string, string>[]) {
      for (const key of [`rule.supplementary.${id}`, `rule.supplementary.${id}.not_applicable`]) {
        expect(catalogue[key], key).toBeTruthy();
        for (const m of catalogue[key]!.matchAll(/\{(\w+)\}/g)) expect(FILLED.has(m[1]!), `${key}: {${m[1]}}`).toBe(true);
      }
    }
  });
});
