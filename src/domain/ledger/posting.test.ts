import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerFund, parseAccount } from './accounts.ts';
import { accountCreditPosting, accountSpendPosting, billFunds, billPosting, clearingPosting, contributionPosting, imbalance, receiptPosting } from './posting.ts';

const funds = (o: Partial<Record<'basic' | 'critical' | 'assistance' | 'supplementary' | 'tilt', number>>) => ({
  basic: 0, critical: 0, assistance: 0, supplementary: 0, tilt: 0, ...o,
});

describe('chart of accounts', () => {
  it('knows the funds and supplementary tiers, and nothing else', () => {
    expect(['basic', 'critical', 'assistance', 'tilt', 'supplementary', 'personal_account', 'supplementary.county_mutual_aid'].every(isLedgerFund)).toBe(true);
    expect(['', 'basics', 'basic.x', 'supplementary.A', 'supplementary.a.b'].some(isLedgerFund)).toBe(false);
    expect(parseAccount('supplementary.county_mutual_aid:benefit')).toEqual({ fund: 'supplementary.county_mutual_aid', kind: 'benefit' });
    expect(parseAccount('basic:nothing')).toBeUndefined();
  });
});

describe('posting rules', () => {
  it('a settlement: each fund spends and owes the facility', () => {
    expect(billPosting(billFunds(funds({ basic: 700, critical: 50 }), []), {})).toEqual([
      { account: 'basic:benefit', fund: 'basic', amount: 700 },
      { account: 'basic:payable_facility', fund: 'basic', amount: -700 },
      { account: 'critical:benefit', fund: 'critical', amount: 50 },
      { account: 'critical:payable_facility', fund: 'critical', amount: -50 },
    ]);
  });

  it('splits supplementary by tier from the steps, or keeps it on the root when they disagree', () => {
    const steps = [{ fund: 'supplementary', amount: 30, tier: 'county_mutual_aid' }, { fund: 'supplementary', amount: 20, tier: 'civil_servant_subsidy' }];
    expect(billFunds(funds({ supplementary: 50 }), steps)).toEqual({ 'supplementary.county_mutual_aid': 30, 'supplementary.civil_servant_subsidy': 20 });
    expect(billFunds(funds({ supplementary: 60 }), steps)).toEqual({ supplementary: 60 });
  });

  it('a re-adjudication posts the difference; a reversal everything back', () => {
    expect(billPosting({ basic: 600 }, { basic: 700 })).toEqual([
      { account: 'basic:benefit', fund: 'basic', amount: -100 },
      { account: 'basic:payable_facility', fund: 'basic', amount: 100 },
    ]);
    expect(billPosting({}, { basic: 700, supplementary: 5 }).reduce((t, l) => t + (l.account.endsWith(':benefit') ? l.amount : 0), 0)).toBe(-705);
  });

  it('a subsidy paid by the assistance fund is a transfer balanced in both funds', () => {
    const lines = contributionPosting(30_000, 'medical_assistance');
    expect(lines).toHaveLength(4);
    expect(imbalance(lines)).toEqual({});
    expect(contributionPosting(40_000, null).map((l) => l.account)).toEqual(['basic:bank', 'basic:contribution']);
  });

  it('every rule balances within each fund, for any amounts', () => {
    const fen = fc.integer({ min: -10_000_000, max: 10_000_000 });
    const amounts = fc.dictionary(fc.constantFrom('basic', 'critical', 'assistance', 'tilt', 'supplementary.a', 'personal_account'), fen);
    fc.assert(
      fc.property(amounts, amounts, fen, fen, fen, fen, (target, current, d, r, w, x) => {
        expect(imbalance(billPosting(target, current))).toEqual({});
        expect(imbalance(clearingPosting({ payments: target, reviewDeductions: d, drgDifference: r, depositWithheld: w, depositReleased: x }))).toEqual({});
        expect(imbalance(receiptPosting('basic', 'finance', d))).toEqual({});
        expect(imbalance(contributionPosting(r, 'civil_affairs'))).toEqual({});
        expect(imbalance([...accountCreditPosting(w), ...accountSpendPosting(x)])).toEqual({});
        // Applying the posting to the current standing reaches the target.
        const after: Record<string, number> = { ...current };
        for (const l of billPosting(target, current)) if (l.account.endsWith(':benefit')) after[l.fund] = (after[l.fund] ?? 0) + l.amount;
        for (const k of Object.keys(after)) if (after[k] === 0) delete after[k];
        const want = Object.fromEntries(Object.entries(target).filter(([, v]) => v !== 0));
        expect(after).toEqual(want);
      }),
    );
  });
});
