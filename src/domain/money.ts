/**
 * Money is an integer number of fen (分), everywhere. Yuan exist only at the
 * edges: parsed digit by digit from decimal strings, printed for people.
 * Ratios are integer basis points (1 % = 100 bp), so a payment is an integer
 * product and one named rounding, never a float.
 */

export type Fen = number & { readonly __unit?: 'fen' };
export type BasisPoints = number & { readonly __unit?: 'bp' };

/** Largest amount accepted anywhere: 1 billion yuan. Keeps fen × bp below 2^53. */
export const MAX_FEN = 100_000_000_000;
export const FULL: BasisPoints = 10_000;

export class MoneyError extends Error {
  override readonly name = 'MoneyError';
}

/** True for an integer number of fen within [0, MAX_FEN]. */
export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FEN;
}

/**
 * Half-up rounding of amount × ratio to the fen (SPEC §2: each fund's payment
 * is rounded half-up). Both operands are non-negative integers.
 */
export function applyRatio(amount: Fen, ratio: BasisPoints): Fen {
  return Math.floor((amount * ratio + 5_000) / 10_000);
}

const YUAN_PATTERN = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/**
 * Parses a yuan amount written as a decimal string ("707.5", "150000") or an
 * integer into fen, digit by digit. Rejects more than two decimals, signs,
 * exponents and fractional numbers (which would already be floats).
 */
export function parseYuan(input: string | number): Fen {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input) || input < 0) {
      throw new MoneyError(`yuan amount ${input} must be a whole non-negative number, or a decimal string such as "707.50"`);
    }
    input = String(input);
  }
  const match = YUAN_PATTERN.exec(input.trim());
  if (!match) throw new MoneyError(`"${input}" is not a yuan amount (digits, at most two decimals)`);
  const whole = Number(match[1]);
  const decimals = (match[2] ?? '').padEnd(2, '0');
  const fen = whole * 100 + Number(decimals);
  if (fen > MAX_FEN) throw new MoneyError(`${input} yuan is above the largest accepted amount`);
  return fen;
}

const PERCENT_PATTERN = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/;

/** Parses "90%", "92.5%" or an integer 90 into basis points (9000, 9250). */
export function parsePercent(input: string | number): BasisPoints {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input) || input < 0) {
      throw new MoneyError(`percentage ${input} must be a whole number, or a string such as "92.5%"`);
    }
    input = String(input);
  }
  const match = PERCENT_PATTERN.exec(input.trim());
  if (!match) throw new MoneyError(`"${input}" is not a percentage such as "90%"`);
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (bp > FULL) throw new MoneyError(`${input} is above 100%`);
  return bp;
}

/** Formats fen as yuan with two decimals and thousands separators: 1234567 → "12,345.67". */
export function formatYuan(fen: Fen): string {
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/** Formats fen as plain yuan, signed, two decimals, no separators: -150 → "-1.50" (the form other systems and spreadsheets parse). */
export function plainYuan(fen: Fen): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Formats basis points as a percentage: 9250 → "92.5%". */
export function formatPercent(bp: BasisPoints): string {
  const whole = Math.floor(bp / 100);
  const rest = bp % 100;
  if (rest === 0) return `${whole}%`;
  return `${whole}.${rest.toString().padStart(2, '0').replace(/0$/, '')}%`;
}
