/**
 * The console's step explanation for the supplementary tiers: the three the
 * Lhasa policies ship have their own sentence in every language; one a bureau
 * adds later falls back to the fund's sentence rather than a raw rule id.
 */
import { describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import { settle } from '../src/domain/engine/settle.ts';
import { explainStep } from '../web/src/explain.tsx';
import { LANGUAGES, makeI18n } from '../web/src/i18n/index.tsx';

const lhasa = loadFixturePolicies().get('lhasa-2024')!;

describe('explaining a supplementary step', () => {
  const s = settle(lhasa, {
    person: { scheme: 'resident', identities: ['monitored'] },
    visit: { kind: 'inpatient', level: 3, date: '2024-03-01' },
    amounts: { total: 9_600_000, compliant: 9_600_000 },
    yearToDate: { basic: 20_000_000, criticalBase: 60_000_000, critical: 40_000_000 },
  });
  const mutual = s.steps.find((x) => x.rule === 'supplementary.county_mutual_aid')!;
  const civil = s.steps.find((x) => x.rule === 'supplementary.civil_servant_subsidy.not_applicable')!;

  it.each(LANGUAGES.map((l) => l.code))('%s: names the county mutual-aid insurance with its base and ratio', (lang) => {
    const i18n = makeI18n(lang, () => {});
    const text = explainStep(i18n, mutual);
    expect(text).toContain(i18n.percent(6_000));
    expect(text).toContain(i18n.money(2_880_000));
    expect(text).not.toContain('supplementary.county_mutual_aid');
    expect(explainStep(i18n, civil)).not.toContain('civil_servant_subsidy');
  });

  it('an unknown supplementary tier falls back to the fund\'s sentence', () => {
    const i18n = makeI18n('en', () => {});
    expect(explainStep(i18n, { ...mutual, rule: 'supplementary.herders_fund' })).toBe(`Supplementary insurance at ${i18n.percent(6_000)}`);
    expect(explainStep(i18n, { fund: 'supplementary', base: 0, rule: 'supplementary.herders_fund.not_applicable', amount: 0 })).toBe('Supplementary insurance: none here');
  });
});
