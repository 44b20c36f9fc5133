/**
 * Account numbers encrypted at rest with AES-256-GCM (node:crypto), under a
 * key from SANBAO_BANK_KEY (32 bytes, base64 or hex). Each value has its own
 * random IV and its authentication tag: a changed ciphertext fails to open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { unavailable } from '../domain/errors.ts';

export type BankKey = Buffer & { readonly __bankKey?: true };

/** The key from the environment; undefined when unset (bank features then answer 503). Throws on a malformed key. */
export function bankKeyFrom(env: NodeJS.ProcessEnv): BankKey | undefined {
  const text = env.SANBAO_BANK_KEY;
  if (!text) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('SANBAO_BANK_KEY must be 32 bytes, as 64 hex digits or base64');
  return key;
}

export function requireBankKey(key: BankKey | undefined): BankKey {
  if (!key) throw unavailable('BANK_KEY_MISSING', 'bank accounts need SANBAO_BANK_KEY (32 bytes, hex or base64) configured');
  return key;
}

export function encryptAccount(key: BankKey, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
}

export function decryptAccount(key: BankKey, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not an encrypted account number');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}
