/** Issue 17: the resident's trial calculation starts on a day a policy covers, so its first try never answers NO_POLICY. */
import { describe, expect, it } from 'vitest';
import { quoteDefaultDate } from '../src/service/resident-self-service.ts';
import { loadFixturePolicies } from './support/policies.ts';

const policies = loadFixturePolicies();
const DEGE_VILLAGE = '513330001001';

describe('the trial calculation’s default day', () => {
  it('is today when a policy covers this year', () => {
    expect(quoteDefaultDate(policies, DEGE_VILLAGE, '2025-11-27')).toBe('2025-11-27');
  });

  it('is the last day of the latest covered year when this year has no policy yet', () => {
    expect(quoteDefaultDate(policies, DEGE_VILLAGE, '2026-11-27')).toBe('2025-12-31');
    expect(quoteDefaultDate(policies, '540102001', '2027-03-01')).toBe('2025-12-31');
  });

  it('is the first day of the earliest covered year when only later years are covered', () => {
    expect(quoteDefaultDate(policies, DEGE_VILLAGE, '2020-05-05')).toBe('2025-01-01');
  });

  it('is today for an area no policy covers (the calculation will say so)', () => {
    expect(quoteDefaultDate(policies, '110101001', '2026-01-02')).toBe('2026-01-02');
  });

  it('answers a day the policy registry covers, for every area with a policy', () => {
    for (const code of [DEGE_VILLAGE, '540102001', '632801001']) {
      for (const today of ['2019-06-30', '2024-02-29', '2026-11-27', '2031-01-01']) {
        const day = quoteDefaultDate(policies, code, today);
        expect(policies.forDivision(code, Number(day.slice(0, 4))), `${code} ${today} → ${day}`).toBeDefined();
      }
    }
  });
});
