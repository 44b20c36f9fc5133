import { describe, expect, it } from 'vitest';
import { exceptionShares } from './case-by-case.ts';

describe('case-by-case approvals, bill by bill', () => {
  it('fill the bills in order, each up to what its caps withheld, approvals in the order made', () => {
    const items = [{ settlementId: 1, withheld: 300 }, { settlementId: 2, withheld: 0 }, { settlementId: 3, withheld: 500 }];
    expect(exceptionShares(items, [{ id: 10, amount: 200 }, { id: 11, amount: 400 }])).toEqual([
      { exceptionId: 10, settlementId: 1, amount: 200 },
      { exceptionId: 11, settlementId: 1, amount: 100 },
      { exceptionId: 11, settlementId: 3, amount: 300 },
    ]);
  });

  it('never put more on the bills than the caps withheld', () => {
    expect(exceptionShares([{ settlementId: 1, withheld: 100 }], [{ id: 1, amount: 150 }])).toEqual([{ exceptionId: 1, settlementId: 1, amount: 100 }]);
    expect(exceptionShares([], [{ id: 1, amount: 150 }])).toEqual([]);
  });
});
