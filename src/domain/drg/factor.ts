/**
 * Weights and factors as integers in ten-thousandths (万分之一): a relative
 * weight 1.2345 is 12345, a trimming factor 3 is 30000. Parsed digit by digit
 * from decimal strings, like money, so no float ever enters a payment.
 */
export type TenThousandths = number & { readonly __unit?: '1/10000' };
export const ONE: TenThousandths = 10_000;

const FACTOR = /^(\d{1,6})(?:\.(\d{1,4}))?$/;

/** "1.2345" → 12345, "3" → 30000, "0.3" → 3000; undefined when it is not such a number. */
export function parseFactor(input: string | number): TenThousandths | undefined {
  const text = typeof input === 'number' ? (Number.isSafeInteger(input) ? String(input) : '') : input.trim();
  const m = FACTOR.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ONE + Number((m[2] ?? '').padEnd(4, '0'));
}

/** 12345 → "1.2345", 30000 → "3". */
export function formatFactor(value: TenThousandths): string {
  const whole = Math.floor(value / ONE);
  const rest = value % ONE;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(4, '0').replace(/0+$/, '')}`;
}

/**
 * amount × factor, rounded half-up to the fen — the one rounding rule of DRG
 * payments (a standard is weight × rate, rounded once per discharge).
 */
export function timesFactor(amount: number, factor: TenThousandths): number {
  return Number((BigInt(amount) * BigInt(factor) + 5_000n) / 10_000n);
}

/** amount × factor, rounded down: thresholds compare against it, and a base rate never exceeds its budget. */
export function timesFactorDown(amount: number, factor: TenThousandths): number {
  return Number((BigInt(amount) * BigInt(factor)) / 10_000n);
}
