/**
 * Amounts at the national interface are yuan with at most two decimals, sent
 * as strings ("123.40") or JSON numbers (123.4). A number is read through its
 * shortest decimal text (what JSON.parse kept), then digit by digit by
 * parseYuan — never multiplied as a float. Answers carry yuan as strings.
 */
import { MoneyError, parseYuan, plainYuan, type Fen } from '../../domain/money.ts';

const DECIMAL_TEXT = /^\d+(?:\.\d+)?$/;

/** Fen from a yuan value, or a message saying why it is not one. */
export function yuanToFen(value: unknown): { fen: Fen } | { problem: string } {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return { problem: 'must be an amount in yuan, 0 or more' };
    text = String(value);
    if (!DECIMAL_TEXT.test(text)) return { problem: 'must be an amount in yuan with at most two decimals' };
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return { problem: value === undefined || value === null || value === '' ? 'is missing' : 'must be an amount in yuan (a string such as "123.40" or a number)' };
  }
  if (text === '') return { problem: 'is missing' };
  try {
    return { fen: parseYuan(text) };
  } catch (error) {
    if (error instanceof MoneyError) return { problem: `must be an amount in yuan with at most two decimals (got ${JSON.stringify(value)})` };
    throw error;
  }
}

/** "1234.50" from 123450 fen: no separators, two decimals, the form HIS parse. */
export function fenToYuan(fen: Fen): string {
  return plainYuan(fen);
}

/** A ratio in basis points as the interface writes it: 8500 → "0.85", 10000 → "1.00". */
export function basisPointsToRatio(bp: number): string {
  return `${Math.floor(bp / 10_000)}.${String(bp % 10_000).padStart(4, '0').replace(/0{1,2}$/, '')}`;
}
