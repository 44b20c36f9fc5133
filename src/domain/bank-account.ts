/**
 * Bank account numbers: check digits and masking. A resident's bank card
 * carries a Luhn check digit (ISO/IEC 7812); a hospital's corporate account
 * (对公账户) has none, only its length is checked. Numbers are shown masked
 * everywhere; only the bank file carries them whole.
 */
import { invalid } from './errors.ts';

/** True when the digits pass the Luhn check (the last digit is the check digit). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

const clean = (input: unknown) => (typeof input === 'string' ? input.replace(/[\s-]/g, '') : '');

/** A resident's bank card number: 16 to 19 digits with a valid Luhn check digit. */
export function parseCardNumber(input: unknown, field = 'accountNumber'): string {
  const digits = clean(input);
  if (!/^\d{16,19}$/.test(digits)) throw invalid('INVALID_ACCOUNT', 'a bank card number is 16 to 19 digits', field);
  if (!luhnValid(digits)) throw invalid('INVALID_ACCOUNT', 'the bank card number fails its check digit', field);
  return digits;
}

/** A corporate account number: 8 to 32 digits. */
export function parseCorporateAccount(input: unknown, field = 'accountNumber'): string {
  const digits = clean(input);
  if (!/^\d{8,32}$/.test(digits)) throw invalid('INVALID_ACCOUNT', 'an account number is 8 to 32 digits', field);
  return digits;
}

/** The only form an account number is shown in: its last four digits. */
export function maskAccount(last4: string): string {
  return `**** **** **** ${last4}`;
}
