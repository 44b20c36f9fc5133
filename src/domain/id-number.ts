/**
 * Resident identity numbers (公民身份号码, GB 11643-1999): 6-digit division,
 * 8-digit birth date, 3-digit sequence (odd for men), ISO 7064 MOD 11-2 check.
 */
import { isCalendarDate } from './calendar-date.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export interface IdNumberFacts {
  readonly divisionCode: string;
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
}

/** Why an ID number is invalid, or null when it is valid. Accepts a lower-case x. */
export function idNumberProblem(raw: string): string | null {
  const id = raw.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 17 digits and a check digit or X';
  if (!isCalendarDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))) {
    return `birth date ${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)} is not a real date`;
  }
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return 'check digit does not match (GB 11643)';
  return null;
}

export function isValidIdNumber(raw: string): boolean {
  return idNumberProblem(raw) === null;
}

/** The division, birth date and sex an ID number carries; assumes it is valid. */
export function idNumberFacts(id: string): IdNumberFacts {
  return {
    divisionCode: id.slice(0, 6),
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'M' : 'F',
  };
}

/** Builds a valid ID number from its parts (demo data, tests). */
export function makeIdNumber(divisionCode: string, birthDate: string, sequence: number, sex: 'M' | 'F'): string {
  let seq = sequence % 1000;
  if ((seq % 2 === 1) !== (sex === 'M')) seq = (seq + 1) % 1000;
  const first17 = `${divisionCode.slice(0, 6)}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}
