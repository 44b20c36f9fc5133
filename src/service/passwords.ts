/**
 * Staff passwords: scrypt at the cost OWASP recommends today (N=2^17, r=8,
 * p=1), a hash format that names its own cost so older hashes still verify
 * and are upgraded at the next sign-in, and the rules a new password must meet.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { invalid } from '../domain/errors.ts';

export const SCRYPT_COST = { N: 2 ** 17, r: 8, p: 1 } as const;
/** scrypt needs 128·N·r bytes (128 MiB at the cost above); allow twice that, and no more. */
const MAXMEM = 256 * 1024 * 1024;
/** At most this many hashes at once, so a burst of sign-ins cannot take the server's memory. */
const MAX_CONCURRENT_HASHES = 2;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

let running = 0;
const waiting: (() => void)[] = [];

async function scrypt(password: string, salt: Buffer, keylen: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scryptCb(password, salt, keylen, { ...cost, maxmem: MAXMEM }, (error, key) => (error ? reject(error) : resolve(key))),
    );
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT_COST);
  return `scrypt$${SCRYPT_COST.N}$${SCRYPT_COST.r}$${SCRYPT_COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  // A cost beyond today's (or not a power of two) is not one Sanbao wrote; refuse rather than spend the memory.
  if (!Number.isInteger(cost.N) || cost.N < 2 || cost.N > SCRYPT_COST.N || (cost.N & (cost.N - 1)) !== 0) return undefined;
  if (!Number.isInteger(cost.r) || cost.r < 1 || cost.r > 16 || !Number.isInteger(cost.p) || cost.p < 1 || cost.p > 4) return undefined;
  return { ...cost, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.key.length < 16) return false;
  const actual = await scrypt(password, parsed.salt, parsed.key.length, parsed);
  return timingSafeEqual(actual, parsed.key);
}

/** A hash made at a lower cost than today's: replace it once the password has been checked. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.N < SCRYPT_COST.N || parsed.r !== SCRYPT_COST.r || parsed.p !== SCRYPT_COST.p;
}

let dummy: Promise<string> | undefined;
/** A hash of a random password at today's cost: checked against when there is no account, so the work is the same. */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(18).toString('base64')));
}

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    common = new Set(text.split('\n').filter((line) => line && !line.startsWith('#')));
  }
  return common;
}

/** Refuses a password that is short, among the most common, or built from the username (code WEAK_PASSWORD, field password). */
export function checkPasswordStrength(password: string, username: string): void {
  const weak = (why: string) => invalid('WEAK_PASSWORD', why, 'password');
  if ([...password].length < MIN_PASSWORD_LENGTH) throw weak(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw weak(`a password has at most ${MAX_PASSWORD_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) throw weak('a password must not contain the username');
  if (commonPasswords().has(lower)) throw weak('this password is among the most common ones; choose another');
  if (new Set(lower).size < 4) throw weak('a password needs more than three different characters');
}
