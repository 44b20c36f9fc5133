/**
 * Rate limits as data: a bucket, how many hits a window allows, the window.
 * Counted in the database so every instance shares the count; a refusal says
 * when to come back (429 with Retry-After).
 */
import { RateLimitedError } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { countHit, forgetWindowsBefore } from '../store/repositories/rate-windows.ts';

export interface RateLimit {
  /** Hits allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

/** The start of the fixed window holding a moment. */
export function windowStart(now: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/**
 * Counts a hit and refuses it when the window already holds `limit` hits.
 * Refused hits count too, so hammering does not reopen the window early.
 */
export async function takeHit(q: Queryable, bucket: string, rate: RateLimit, code: string, message: string, now = new Date()): Promise<void> {
  const start = windowStart(now, rate.windowSeconds);
  const hits = await countHit(q, bucket, start);
  // Now and then, drop windows over a day old (cheap: an index on window_start).
  if (hits === 1 && Math.random() < 0.01) await forgetWindowsBefore(q, new Date(now.getTime() - 86_400_000));
  if (hits > rate.limit) {
    const retryAfter = (start.getTime() + rate.windowSeconds * 1000 - now.getTime()) / 1000;
    throw new RateLimitedError(code, message, retryAfter);
  }
}

/** The limits the service enforces; each may be changed by configuration. */
export interface SecurityLimits {
  /** Patient look-ups (identify) per facility. */
  readonly identifyPerFacility: RateLimit;
  /** Sign-in codes per ID number, insured or not (so the answer never tells which). */
  readonly codesPerNumber: RateLimit;
  /** Sign-in codes per client address. */
  readonly codesPerAddress: RateLimit;
  /** Sign-in codes overall (an SMS budget, and a brake on enumeration from many addresses). */
  readonly codesOverall: RateLimit;
}

export const DEFAULT_LIMITS: SecurityLimits = {
  identifyPerFacility: { limit: 600, windowSeconds: 60 },
  codesPerNumber: { limit: 5, windowSeconds: 3600 },
  codesPerAddress: { limit: 20, windowSeconds: 3600 },
  codesOverall: { limit: 2000, windowSeconds: 3600 },
};
