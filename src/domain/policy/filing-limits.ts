/**
 * Out-of-area filing limits (异地就医备案期限) as policy data: for each filing
 * reason, how long a filing may last, how far back its start may lie (a
 * filing made after an emergency admission) and how far ahead. An optional
 * section of a policy file; a policy without it gets the defaults below.
 */
import { z } from 'zod';
import { unprocessable } from '../errors.ts';

/** 转诊转院, 异地长期居住 (incl. 异地安置退休), 常驻异地工作, 临时外出就医, 急诊抢救. */
export const FILING_REASONS = ['referral', 'resident_elsewhere', 'work_elsewhere', 'temporary', 'emergency'] as const;
export type FilingReason = (typeof FILING_REASONS)[number];

export interface FilingLimit {
  /** The longest filing, in calendar months from its first day. */
  readonly maxMonths: number;
  /** How many days before the filing day its start may lie (0: from today on). */
  readonly backdateDays: number;
  /** How many days after the filing day its start may lie. */
  readonly leadDays: number;
}
export type FilingLimits = Readonly<Record<FilingReason, FilingLimit>>;

/**
 * Defaults*: long-term residence elsewhere (异地长期居住) and work elsewhere (常驻异地工作) up to 2 years; a
 * referral (转诊) or a temporary stay (临时外出) up to 6 months, a referral
 * filed up to 7 days after it began; an emergency (急诊抢救) up to a month,
 * filed up to 30 days after the admission. (* illustrative: a bureau sets its own.)
 */
export const DEFAULT_FILING_LIMITS: FilingLimits = {
  resident_elsewhere: { maxMonths: 24, backdateDays: 0, leadDays: 90 },
  work_elsewhere: { maxMonths: 24, backdateDays: 0, leadDays: 90 },
  referral: { maxMonths: 6, backdateDays: 7, leadDays: 90 },
  temporary: { maxMonths: 6, backdateDays: 0, leadDays: 90 },
  emergency: { maxMonths: 1, backdateDays: 30, leadDays: 0 },
};

const limitSchema = z.strictObject({
  maxMonths: z.number().int().min(1).max(60),
  backdateDays: z.number().int().min(0).max(366).optional(),
  leadDays: z.number().int().min(0).max(366).optional(),
});

/** The policy-file section: `outOfAreaFiling: { reasons: { emergency: { maxMonths: 1, backdateDays: 30 } … } }`; reasons left out keep the defaults. */
export const outOfAreaFilingSchema = z.strictObject({
  reasons: z.strictObject(Object.fromEntries(FILING_REASONS.map((r) => [r, limitSchema.optional()])) as Record<FilingReason, z.ZodOptional<typeof limitSchema>>),
});
export type OutOfAreaFilingSection = z.output<typeof outOfAreaFilingSchema>;

/** The limits of a policy: its section over the defaults. */
export function compileFilingLimits(section: OutOfAreaFilingSection | undefined): FilingLimits {
  const out = { ...DEFAULT_FILING_LIMITS } as Record<FilingReason, FilingLimit>;
  for (const reason of FILING_REASONS) {
    const given = section?.reasons[reason];
    if (given) out[reason] = { ...DEFAULT_FILING_LIMITS[reason], ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  }
  return out;
}

const DAY = 86_400_000;
const toDay = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const toIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last day of a filing of `months` months starting on `from` (2025-01-31 + 1 month → 2025-02-28). */
export function lastDayOf(from: string, months: number): string {
  const y = Number(from.slice(0, 4));
  const m = Number(from.slice(5, 7)) - 1 + months;
  const d = Number(from.slice(8, 10));
  const daysInTarget = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return toIso(Date.UTC(y, m, Math.min(d, daysInTarget)) - DAY);
}

/**
 * Checks a filing's period against its reason's limits on the day it is
 * filed: start not before today − backdateDays (FILING_BACKDATED), not after
 * today + leadDays (FILING_TOO_FAR_AHEAD), end not after the last day of
 * maxMonths (FILING_TOO_LONG).
 */
export function checkFilingPeriod(limits: FilingLimits, f: { reason: FilingReason; validFrom: string; validTo: string }, today: string): void {
  const limit = limits[f.reason];
  const earliest = toIso(toDay(today) - limit.backdateDays * DAY);
  if (f.validFrom < earliest) {
    throw unprocessable('FILING_BACKDATED', `a ${f.reason} filing may start no earlier than ${earliest} (${limit.backdateDays} days before today)`, 'validFrom');
  }
  const latest = toIso(toDay(today) + limit.leadDays * DAY);
  if (f.validFrom > latest) throw unprocessable('FILING_TOO_FAR_AHEAD', `a ${f.reason} filing may start no later than ${latest}`, 'validFrom');
  const last = lastDayOf(f.validFrom, limit.maxMonths);
  if (f.validTo > last) {
    throw unprocessable('FILING_TOO_LONG', `a ${f.reason} filing lasts at most ${limit.maxMonths} months: from ${f.validFrom} to ${last} at the latest`, 'validTo');
  }
}
