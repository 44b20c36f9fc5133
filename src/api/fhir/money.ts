/**
 * FHIR `Money` at Sanbao's edge: `value` is a JSON number of yuan, `currency`
 * "CNY". Inside, money stays integer fen. Out: the decimal is built as a
 * string from the fen digits ("1234.56") and only then read as a number, so
 * the JSON carries exactly those digits — never fen / 100. In: the number's
 * shortest decimal form is parsed digit by digit; more than two decimals,
 * exponents, negatives and other currencies are refused.
 */
import { MoneyError, parseYuan, type Fen } from '../../domain/money.ts';

export const CURRENCY = 'CNY';

export interface FhirMoney {
  readonly value: number;
  readonly currency: typeof CURRENCY;
}

/** The yuan decimal of an integer number of fen, as text: 123456 → "1234.56", 5 → "0.05". */
export function fenToDecimal(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new MoneyError(`${fen} is not an integer number of fen`);
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** FHIR Money of an integer number of fen (negative for a recovery). */
export function fenToMoney(fen: Fen): FhirMoney {
  return { value: Number(fenToDecimal(fen)), currency: CURRENCY };
}

/**
 * Integer fen of an incoming FHIR Money, or a MoneyError saying what is wrong.
 * A JSON number reaches us as a double; its shortest round-trip text ("1234.5")
 * is exactly what the sender wrote for any amount of at most two decimals.
 */
export function moneyToFen(money: unknown): Fen {
  if (money === null || typeof money !== 'object') throw new MoneyError('must be a Money {value, currency: "CNY"}');
  const { value, currency } = money as { value?: unknown; currency?: unknown };
  if (currency !== undefined && currency !== CURRENCY) throw new MoneyError(`currency must be "${CURRENCY}"`);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MoneyError('value must be a JSON number of yuan');
  if (value < 0) throw new MoneyError('value must not be negative');
  return parseYuan(String(value));
}
