/**
 * The trial-calculation input of SPEC §5, checked at the boundary (CLI, HTTP).
 * Amounts are integer fen: strings, decimals and negatives are refused.
 */
import { z } from 'zod';
import { MAX_FEN } from '../money.ts';
import { CHRONIC_CLASSES, EMPLOYMENT_STATUSES, IDENTITIES, SCHEMES, VISIT_KINDS } from '../vocabulary.ts';
import { PERSON_ATTRIBUTES } from '../policy/types.ts';
import { YEAR_TO_DATE_FIELDS } from './types.ts';

export const fenSchema = z
  .number({ invalid_type_error: 'must be an integer number of fen', required_error: 'is required' })
  .int('must be an integer number of fen (no decimals)')
  .nonnegative('must not be negative')
  .max(MAX_FEN, 'is above the largest accepted amount');

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date')
  // PostgreSQL has no year 0 (0000-01-01 failed as a 500); no bill, birth or filing falls outside these years.
  .refine((d) => Number(d.slice(0, 4)) >= MIN_YEAR && Number(d.slice(0, 4)) <= MAX_YEAR, `must be a date from ${MIN_YEAR}-01-01 to ${MAX_YEAR}-12-31`);

export const identitySchema = z.enum(IDENTITIES);

export const identitySpanSchema = z.union([
  identitySchema,
  z.strictObject({ identity: identitySchema, from: isoDateSchema.nullish(), to: isoDateSchema.nullish() }),
]);

export const personSchema = z.strictObject({
  scheme: z.enum(SCHEMES),
  identities: z.array(identitySpanSchema).default([]),
  status: z.enum(EMPLOYMENT_STATUSES).default('in_service'),
  personalAccountBalance: fenSchema.optional(),
  /** What a supplementary tier may require, e.g. ["civil_servant"] for 公务员医疗补助. */
  attributes: z.array(z.enum(PERSON_ATTRIBUTES)).optional(),
});

export const visitSchema = z
  .strictObject({
    kind: z.enum(VISIT_KINDS),
    level: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {
      errorMap: () => ({ message: 'must be a hospital level 0, 1, 2 or 3' }),
    }),
    date: isoDateSchema,
    outOfArea: z.boolean().default(false),
    filed: z.boolean().default(false),
    majorIllness: z.boolean().default(false),
    chronicClass: z.enum(CHRONIC_CLASSES).optional(),
    /** The category in the chronic-disease catalogue (1…n); checked against the catalogue in force. */
    chronicCategory: z.number().int('must be a whole number').min(1, 'must be 1 or more').optional(),
    /** An inpatient stay's admission date, for a policy that picks its rules by admission. */
    admissionDate: isoDateSchema.optional(),
  })
  .refine((v) => v.kind !== 'chronic' || v.chronicClass !== undefined, {
    message: 'a chronic visit needs chronicClass "A" or "B"',
    path: ['chronicClass'],
  })
  .refine((v) => v.admissionDate === undefined || v.admissionDate <= v.date, {
    message: 'must not be after the visit date',
    path: ['admissionDate'],
  });

export const amountsSchema = z
  .strictObject({ total: fenSchema, compliant: fenSchema })
  .refine((a) => a.compliant <= a.total, { message: 'must not be more than total', path: ['compliant'] });

export const yearToDateSchema = z.strictObject(
  Object.fromEntries(YEAR_TO_DATE_FIELDS.map((f) => [f, fenSchema.default(0)])) as Record<
    (typeof YEAR_TO_DATE_FIELDS)[number],
    z.ZodDefault<typeof fenSchema>
  >,
);

export const quoteSchema = z.strictObject({
  policy: z.string().min(1),
  person: personSchema,
  visit: visitSchema,
  amounts: amountsSchema,
  yearToDate: yearToDateSchema.default({}),
  /** Each supplementary tier's payments so far this year, by tier id (optional). */
  supplementaryYearToDate: z.record(z.string().regex(/^[a-z0-9_]+$/), fenSchema).optional(),
  /** The first day the person's cover holds (after a waiting period); a bill before it is NOT_COVERED. Optional. */
  coverFrom: isoDateSchema.optional(),
  /** Continuous enrolment for the policy's rewards: years insured in a row (this one included), claim-free years in a row before it. */
  continuity: z.strictObject({ yearsInsured: z.number().int().min(0).max(100), claimFreeYears: z.number().int().min(0).max(100) }).optional(),
});

export type QuoteRequest = z.output<typeof quoteSchema>;

/** One line naming the field and what is wrong with it. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || '(input)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${field}: ${issue.message}${more}`;
}
