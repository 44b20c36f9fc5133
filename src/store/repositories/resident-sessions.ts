/** Resident one-time sign-in codes and resident sessions (never mixed with staff sessions). */
import type { Queryable } from '../db.ts';

export interface OtpRow {
  id: number;
  person_id: number;
  code_hash: string;
  expires_at: Date;
  attempts: number;
  used_at: Date | null;
}

export async function insertOtp(q: Queryable, personId: number, codeHash: string, expiresAt: Date): Promise<void> {
  await q.query('INSERT INTO resident_otps (person_id, code_hash, expires_at) VALUES ($1, $2, $3)', [personId, codeHash, expiresAt]);
}

/** The newest unused code of a person, locked for the check. */
export async function latestOtp(q: Queryable, personId: number): Promise<OtpRow | undefined> {
  const rows = await q.query<OtpRow & Record<string, unknown>>(
    `SELECT id, person_id, code_hash, expires_at, attempts, used_at FROM resident_otps
     WHERE person_id = $1 AND used_at IS NULL ORDER BY id DESC LIMIT 1 FOR UPDATE`,
    [personId],
  );
  return rows[0];
}

export async function countOtpAttempt(q: Queryable, id: number): Promise<void> {
  await q.query('UPDATE resident_otps SET attempts = attempts + 1 WHERE id = $1', [id]);
}

export async function markOtpUsed(q: Queryable, id: number): Promise<void> {
  await q.query('UPDATE resident_otps SET used_at = now() WHERE id = $1', [id]);
}

export async function insertResidentSession(q: Queryable, tokenHash: string, personId: number, now: Date, expiresAt: Date): Promise<void> {
  await q.query(
    'INSERT INTO resident_sessions (token_hash, person_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)',
    [tokenHash, personId, now, expiresAt],
  );
}

export interface ResidentSessionRow {
  person_id: number;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
}

export async function findResidentSession(q: Queryable, tokenHash: string): Promise<ResidentSessionRow | undefined> {
  const rows = await q.query<ResidentSessionRow & Record<string, unknown>>(
    'SELECT person_id, last_seen_at, expires_at, ended_at FROM resident_sessions WHERE token_hash = $1',
    [tokenHash],
  );
  return rows[0];
}

export async function touchResidentSession(q: Queryable, tokenHash: string, now: Date): Promise<void> {
  await q.query('UPDATE resident_sessions SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash, now]);
}

export async function endResidentSession(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('UPDATE resident_sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL', [tokenHash]);
}
