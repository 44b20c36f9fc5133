/** The account allocation: never more than the balances or the payable part, own account first, a named amount exactly or refused. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateAccountPayment, excessToRestore } from './allocate.ts';

const fen = fc.integer({ min: 0, max: 5_000_000 });
const accounts = fc.uniqueArray(fc.record({ holderId: fc.integer({ min: 1, max: 1_000 }), balance: fen, kind: fc.constantFrom('own' as const, 'family' as const) }), { maxLength: 4, selector: (a) => a.holderId });

describe('allocateAccountPayment', () => {
  it('pays min(payable, what the accounts hold), in order, each within its balance', () => {
    fc.assert(
      fc.property(fen, accounts, (payable, list) => {
        const a = allocateAccountPayment(payable, list);
        const held = list.reduce((s, x) => s + x.balance, 0);
        const paid = a.payments.reduce((s, p) => s + p.amount, 0);
        expect(paid).toBe(Math.min(payable, held));
        expect(a.own + a.family).toBe(paid);
        for (const p of a.payments) {
          const from = list.find((x) => x.holderId === p.holderId)!;
          expect(p.amount).toBeGreaterThan(0);
          expect(p.balanceAfter).toBeGreaterThanOrEqual(0);
          expect(p.balanceAfter).toBe(from.balance - p.amount);
        }
        // Every account but the last that paid is emptied: later accounts pay only what earlier ones could not.
        a.payments.slice(0, -1).forEach((p) => expect(p.balanceAfter).toBe(0));
      }),
    );
  });

  it('takes exactly a named amount, or refuses it above the balances or the payable part', () => {
    fc.assert(
      fc.property(fen, accounts, fen, (payable, list, asked) => {
        const held = list.reduce((s, x) => s + x.balance, 0);
        if (asked > payable) expect(() => allocateAccountPayment(payable, list, asked)).toThrow(expect.objectContaining({ code: 'ACCOUNT_ABOVE_PAYABLE' }));
        else if (asked > held) expect(() => allocateAccountPayment(payable, list, asked)).toThrow(expect.objectContaining({ code: 'ACCOUNT_INSUFFICIENT' }));
        else expect(allocateAccountPayment(payable, list, asked).payments.reduce((s, p) => s + p.amount, 0)).toBe(asked);
      }),
    );
  });

  it.each([
    [44_000, [{ holderId: 1, balance: 48_000, kind: 'own' as const }], [44_000], 44_000, 0],
    [44_000, [{ holderId: 1, balance: 4_000, kind: 'own' as const }, { holderId: 2, balance: 100_000, kind: 'family' as const }], [4_000, 40_000], 4_000, 40_000],
    [10_000, [{ holderId: 1, balance: 0, kind: 'own' as const }, { holderId: 2, balance: 3_000, kind: 'family' as const }], [3_000], 0, 3_000],
    [0, [{ holderId: 1, balance: 9_000, kind: 'own' as const }], [], 0, 0],
  ])('payable %i from %j → %j (own %i, family %i)', (payable, list, amounts, own, family) => {
    const a = allocateAccountPayment(payable, list);
    expect(a.payments.map((p) => p.amount)).toEqual(amounts);
    expect([a.own, a.family]).toEqual([own, family]);
  });
});

describe('excessToRestore', () => {
  it('gives back what was paid above the new payable part, last payment first', () => {
    expect(excessToRestore([{ id: 1, amount: 4_000 }, { id: 2, amount: 6_000 }], 7_000)).toEqual([{ id: 2, amount: 3_000 }]);
    expect(excessToRestore([{ id: 1, amount: 4_000 }, { id: 2, amount: 6_000 }], 1_000)).toEqual([{ id: 2, amount: 6_000 }, { id: 1, amount: 3_000 }]);
    expect(excessToRestore([{ id: 1, amount: 4_000 }], 9_000)).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.nat(), amount: fc.integer({ min: 1, max: 100_000 }) }), { maxLength: 5 }), fen, (paid, payable) => {
        const back = excessToRestore(paid, payable).reduce((s, b) => s + b.amount, 0);
        const sum = paid.reduce((s, p) => s + p.amount, 0);
        expect(back).toBe(Math.max(0, sum - payable));
      }),
    );
  });
});
