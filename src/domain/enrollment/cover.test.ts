/** When cover starts under the continuous-enrolment rules, and what continuity earns: dense example tables. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicy, PolicyError } from '../policy/compile.ts';
import { addMonths, criticalCapRaise, decideCover, waitingMonths, type CollectionRules } from './cover.ts';

const rules: CollectionRules = {
  window: { from: '2024-09-01', to: '2024-12-31' },
  coverFrom: '2025-01-01',
  waiting: { fixedMonths: 3, monthsPerYearNotInsured: 1, minMonths: 0, maxMonths: 6, countYearsFrom: 2024 },
  exempt: ['newborn', 'discharged_soldier'],
};
const facts = { paidOn: '2024-11-15', yearsNotInsured: 0, exemption: null, birthDate: '1980-01-01' } as const;

describe('addMonths', () => {
  it.each([
    ['2025-03-10', 3, '2025-06-10'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-11-15', 3, '2026-02-15'],
    ['2025-12-31', 0, '2025-12-31'],
  ])('%s + %i months = %s', (from, months, to) => expect(addMonths(from, months)).toBe(to));
});

describe('the waiting period: fixed + per year not insured, within the bounds', () => {
  it.each([
    [0, 3, 3, 0],
    [1, 4, 3, 1],
    [3, 6, 3, 3],
    [9, 6, 3, 3],
  ])('%i years not insured: %i months (%i fixed + %i)', (years, months, fixed, variable) => {
    expect(waitingMonths(rules, years)).toEqual({ months, fixed, variable });
  });
  it('never below the policy’s minimum', () => {
    expect(waitingMonths({ ...rules, waiting: { ...rules.waiting, fixedMonths: 0, minMonths: 2 } }, 0).months).toBe(2);
  });
});

describe('decideCover', () => {
  it.each([
    ['paid early, before the window', '2024-08-20', '2025-01-01', 'in_window', 0],
    ['paid in the window', '2024-12-31', '2025-01-01', 'in_window', 0],
    ['paid after the window, insured last year', '2025-03-10', '2025-06-10', 'waiting_period', 3],
    ['paid late in the year', '2025-11-15', '2026-02-15', 'waiting_period', 3],
  ])('%s (%s): cover from %s', (_, paidOn, coverFrom, reason, months) => {
    expect(decideCover(rules, { ...facts, paidOn })).toMatchObject({ coverFrom, reason, waitingMonths: months });
  });

  it('adds a month per year not insured, up to the maximum', () => {
    expect(decideCover(rules, { ...facts, paidOn: '2025-03-10', yearsNotInsured: 2 })).toMatchObject({ coverFrom: '2025-08-10', fixedMonths: 3, variableMonths: 2 });
    expect(decideCover(rules, { ...facts, paidOn: '2025-03-10', yearsNotInsured: 7 })).toMatchObject({ coverFrom: '2025-09-10', waitingMonths: 6 });
  });

  it('exempts the groups the policy lists: a newborn from birth, a discharged soldier from the day paid', () => {
    expect(decideCover(rules, { ...facts, paidOn: '2025-05-20', exemption: 'newborn', birthDate: '2025-04-02' })).toMatchObject({ coverFrom: '2025-04-02', reason: 'exempt', waitingMonths: 0 });
    expect(decideCover(rules, { ...facts, paidOn: '2025-05-20', exemption: 'discharged_soldier' })).toMatchObject({ coverFrom: '2025-05-20', reason: 'exempt' });
    // A group the policy does not list waits like anyone else.
    expect(decideCover(rules, { ...facts, paidOn: '2025-05-20', exemption: 'released_from_prison' })).toMatchObject({ reason: 'waiting_period', coverFrom: '2025-08-20' });
  });
});

describe('rewards raise the critical-illness cap', () => {
  const rewards = { continuousAfterYears: 4, capRaisePerContinuousYear: 200, capRaisePerClaimFreeYear: 200, maxCapRaise: 2_000 };
  it.each([
    [4, 0, 0],
    [5, 0, 800_000],
    [6, 1, 2_400_000],
    [30, 30, 8_000_000],
  ])('%i years insured, %i claim-free: %i fen on a 400,000-yuan cap', (years, claimFree, raise) => {
    expect(criticalCapRaise(rewards, 40_000_000, years, claimFree)).toBe(raise);
  });
  it('none without rewards in the policy', () => expect(criticalCapRaise(null, 40_000_000, 10, 10)).toBe(0));
});

describe('the policy’s collection fields are validated when loaded', () => {
  const text = readFileSync(new URL('../../../test/fixtures/policies/dege-2025.yaml', import.meta.url), 'utf8');
  const problems = (patched: string): string[] => {
    try {
      compilePolicy(patched, 'dege-2025.yaml');
      return [];
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      return (e as PolicyError).message.split('\n');
    }
  };
  it('loads the fixture as it is', () => {
    expect(compilePolicy(text, 'dege-2025.yaml').enrollment.collection).toMatchObject({ coverFrom: '2025-01-01', window: { to: '2024-12-31' } });
  });
  it('names the file and each field of a window, cover day or waiting period that cannot be', () => {
    const bad = text
      .replace('window: { from: "2024-09-01", to: "2024-12-31" }', 'window: { from: "2024-12-31", to: "2024-09-01" }')
      .replace('coverFrom: "2025-01-01"', 'coverFrom: "2026-01-01"')
      .replace('fixedMonths: 3 ', 'fixedMonths: 8 ');
    expect(problems(bad)).toEqual([
      'dege-2025.yaml: enrollment.collection.window.to: 2024-09-01 is before the window\'s start 2024-12-31',
      'dege-2025.yaml: enrollment.collection.coverFrom: 2026-01-01 is outside the policy\'s year (2025)',
      'dege-2025.yaml: enrollment.collection.waitingPeriod.fixedMonths: 8 is above maxMonths (6)',
    ]);
  });
  it('refuses a group it does not know and a reward that is not a percentage', () => {
    const bad = text.replace('exempt: [newborn,', 'exempt: [everyone,').replace('maxCapRaise: 20%', 'maxCapRaise: lots');
    const lines = problems(bad);
    expect(lines.some((l) => l.startsWith('dege-2025.yaml: enrollment.collection.exempt.0: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('dege-2025.yaml: enrollment.rewards.maxCapRaise: '))).toBe(true);
  });
});
