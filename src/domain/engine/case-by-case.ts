/**
 * Case-by-case (一事一议) approvals above the caps, bill by bill. An approval is
 * made on an application, which covers several bills; it is taken to be paid
 * on the application's bills in their order, each up to what the caps withheld
 * on it (due − paid), approvals in the order they were made. So a reversal
 * knows what an approval paid on the reversed bill, to recover it.
 */
import type { Fen } from '../money.ts';

export interface ExceptionShare {
  readonly exceptionId: number;
  readonly settlementId: number;
  readonly amount: Fen;
}

/** What each approval paid on each bill: `items` in the bills' order, `exceptions` in the order approved. */
export function exceptionShares(
  items: readonly { readonly settlementId: number; readonly withheld: Fen }[],
  exceptions: readonly { readonly id: number; readonly amount: Fen }[],
): ExceptionShare[] {
  const out: ExceptionShare[] = [];
  let i = 0;
  let room = items[0]?.withheld ?? 0;
  for (const e of exceptions) {
    let left = e.amount;
    while (left > 0 && i < items.length) {
      if (room <= 0) {
        i += 1;
        room = items[i]?.withheld ?? 0;
        continue;
      }
      const amount = left < room ? left : room;
      out.push({ exceptionId: e.id, settlementId: items[i]!.settlementId, amount });
      left -= amount;
      room -= amount;
    }
  }
  return out;
}
