/**
 * Diagnosis patterns as catalogues write them, matched against a bill's ICD-10
 * code (the national medical-insurance edition, e.g. "E11.900", "I10.x00"):
 * a code or prefix ("E11", "M12.1") or a range of categories ("I20-I25").
 * Strings only: the diagnosis list itself is a catalogue of its own.
 */

/** Upper case without spaces; the form codes are compared in. */
export function normaliseIcd(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, '');
}

const PREFIX = /^[A-Z](\d{1,2}(\.[0-9A-Z]{1,4})?)?$/;
const RANGE = /^([A-Z]\d{2})-([A-Z]\d{2})$/;
/** The shape of a bill's code: a letter, two digits, optionally a dot and up to five more characters. */
const CODE = /^[A-Z]\d{2}(\.[0-9A-Z]{1,5})?$/;

export function isIcdPattern(pattern: string): boolean {
  const p = normaliseIcd(pattern);
  const range = RANGE.exec(p);
  return PREFIX.test(p) || (range !== null && range[1]! <= range[2]!);
}

export function isIcdCode(code: string): boolean {
  return CODE.test(normaliseIcd(code));
}

/** True when the diagnosis falls under the pattern. */
export function icdMatches(pattern: string, diagnosis: string): boolean {
  const p = normaliseIcd(pattern);
  const d = normaliseIcd(diagnosis);
  const range = RANGE.exec(p);
  if (range) {
    const category = d.slice(0, 3);
    return category.length === 3 && category >= range[1]! && category <= range[2]!;
  }
  return d.startsWith(p);
}

export function icdMatchesAny(patterns: readonly string[], diagnosis: string | null | undefined): boolean {
  if (!diagnosis) return false;
  return patterns.some((p) => icdMatches(p, diagnosis));
}

/** Splits a cell listing patterns ("E10-E14; I10", "E11、E12") into patterns. */
export function splitPatterns(text: string): string[] {
  return text
    .split(/[;,，；、\s|]+/)
    .map(normaliseIcd)
    .filter((p) => p !== '');
}
