/** Masking of personal data for logs and lists (个人信息脱敏). */

/** 513330199001011234 → 513330********1234 */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 次仁多吉 → 次*** ; Tashi Dorje → T********** */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** A person's identifying data as stored. */
export interface PersonalData {
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string | null;
  readonly birthDate?: string | null;
}

/** A person's identifying data as shown: masked, or in full for a viewer allowed to unmask (the caller audits that). */
export interface ShownPersonalData {
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string | null;
  /** Withheld when masked: beside the masked ID number (region + last four) it would give the whole number back. */
  readonly birthDate: string | null;
}

/**
 * The one masking rule for every list, page and export staff see: the name
 * keeps its first character, the ID number its region and last four, the
 * phone its first three and last four, and the birth date is withheld
 * (no age either: with the masked number it narrows the rest to a handful).
 */
export function showPerson(p: PersonalData, unmasked: boolean): ShownPersonalData {
  if (unmasked) return { name: p.name, idNumber: p.idNumber, phone: p.phone, birthDate: p.birthDate ?? null };
  return { name: maskName(p.name), idNumber: maskIdNumber(p.idNumber), phone: p.phone === null ? null : maskPhone(p.phone), birthDate: null };
}

/** Search text that is a whole mainland mobile number or a whole ID number: those are matched exactly, never as a part. */
export function wholeNumberQuery(text: string): { kind: 'phone' | 'idNumber'; value: string } | { kind: 'text'; value: string } {
  const t = text.trim();
  if (/^1\d{10}$/.test(t)) return { kind: 'phone', value: t };
  if (/^\d{17}[\dXx]$/.test(t)) return { kind: 'idNumber', value: t.toUpperCase() };
  return { kind: 'text', value: t };
}
