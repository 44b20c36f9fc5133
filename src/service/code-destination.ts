/**
 * Where a resident's sign-in code went, as the sign-in page may show it: the
 * registered phone masked (138****5678), or null when no phone is registered
 * (the page then sends the person to the service station).
 *
 * An unknown ID number gets a decoy of the same shape — a masked number drawn
 * from an HMAC of the ID number, or null about as often as insured people have
 * no phone — the same every time it is asked, so the answer still does not
 * tell who is insured here (issue 10) while an insured person learns where to
 * look for the code (issue 17).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { maskPhone } from '../domain/privacy.ts';

/** One key per process: decoys stay stable between requests, and no one can compute them offline. */
const PROCESS_KEY = randomBytes(32);

/** Mobile prefixes in use in China, for decoys that look like real numbers. */
const PREFIXES = ['133', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '177', '180', '181', '182', '183', '187', '188', '189', '199'];

/** Roughly one insured person in eight has no phone registered: decoys say "none" as often. */
const NO_PHONE_ONE_IN = 8;

export function codeDestination(person: { phone: string | null } | null, idNumber: string, key: Buffer = PROCESS_KEY): string | null {
  if (person) return person.phone ? maskPhone(person.phone) : null;
  const digest = createHmac('sha256', key).update(`code-destination:${idNumber}`).digest();
  if (digest[0]! % NO_PHONE_ONE_IN === 0) return null;
  const prefix = PREFIXES[digest[1]! % PREFIXES.length]!;
  const last4 = String(digest.readUInt16BE(2) % 10_000).padStart(4, '0');
  return maskPhone(`${prefix}0000${last4}`);
}
