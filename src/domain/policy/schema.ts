/**
 * The policy file format (one YAML or JSON file per region and year), as a zod
 * schema. Amounts are written in yuan (whole numbers or decimal strings) and
 * ratios as percentages ("92.5%"); the schema turns them into fen and basis
 * points, so the engine never sees a float.
 */
import { z } from 'zod';
import { percentField, yuanField } from './money-fields.ts';
import { CHRONIC_CLASSES, DEPARTMENTS, FUNDS, IDENTITIES, SCHEMES, VISIT_KINDS } from '../vocabulary.ts';
import { PERSON_ATTRIBUTES, RULE_DATES, SUPPLEMENTARY_BASES, TIER_KINDS } from './types.ts';
import { outOfAreaFilingSchema } from './filing-limits.ts';
import { personalAccountSchema } from '../account/rules.ts';
import { COVER_EXEMPTIONS } from '../enrollment/cover.ts';
import { clearingSchema } from './clearing-terms.ts';

const yuan = yuanField;
const percent = percentField;

/** A yearly cap in yuan, or "none" for no cap. */
const capOrNone = z.union([z.literal('none'), yuan]).transform((v) => (v === 'none' ? null : v));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const identity = z.enum(IDENTITIES);
const department = z.enum(DEPARTMENTS);
const visitKind = z.enum(VISIT_KINDS);
const levelKey = z.enum(['1', '2', '3']);

const inpatientSchema = z.strictObject({
  levels: z.record(levelKey, z.strictObject({ deductible: yuan, ratio: percent })),
});

const ratioByStatus = z.union([percent, z.strictObject({ in_service: percent, retired: percent })]);
const yuanByStatus = z.union([yuan, z.strictObject({ in_service: yuan, retired: yuan })]);

const outpatientSchema = z.strictObject({
  yearlyDeductible: yuanByStatus.default(0),
  levels: z.record(levelKey, z.strictObject({ ratio: ratioByStatus })),
  yearlyCap: yuan,
});

const chronicSchema = z.strictObject({
  ratio: percent,
  classLimits: z.record(z.enum(CHRONIC_CLASSES), yuan),
  /** The catalogue in force (categories numbered 1…n); a change of catalogue on a date is a `changes` entry. */
  catalogue: z.strictObject({ categories: z.number().int().positive(), note: z.string().optional() }).optional(),
});

const schemeBenefitsSchema = z.strictObject({
  inpatient: inpatientSchema,
  outpatient: outpatientSchema,
  chronic: chronicSchema,
  yearlyCap: yuan,
});

const bandSchema = z.strictObject({ upTo: yuan.optional(), ratio: percent });

const criticalSchema = z.strictObject({
  schemes: z.array(z.enum(SCHEMES)).min(1),
  visitKinds: z.array(visitKind).min(1),
  threshold: yuan,
  bands: z.array(bandSchema).min(1),
  yearlyCap: capOrNone,
  tilted: z
    .strictObject({
      identities: z.array(identity).min(1),
      threshold: yuan,
      ratioBonus: percent,
      yearlyCap: capOrNone,
    })
    .optional(),
});

const assistanceSchema = z.strictObject({
  visitKinds: z.array(visitKind).min(1),
  ratios: z.record(identity, percent),
  yearlyCap: z.strictObject({ ordinary: yuan, major: yuan }),
  /** Above the caps only through a recorded case-by-case (一事一议) approval. */
  aboveCap: z.enum(['case_by_case', 'none']).default('case_by_case'),
});

const supplementarySchema = z.strictObject({
  visitKinds: z.array(visitKind).min(1),
  schemes: z.array(z.enum(SCHEMES)).min(1),
  deductible: yuan.default(0),
  ratio: percent,
  yearlyCap: capOrNone,
});

const fund = z.enum(FUNDS);

/** A tier of the pipeline: its kind (a module of the engine), the fund it pays from, and its parameters. */
const tierEntrySchema = z.preprocess(
  // `- basic` is short for `- { kind: basic }`.
  (entry) => (typeof entry === 'string' ? { kind: entry } : entry),
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('basic'), fund: fund.optional() }),
    z.strictObject({ kind: z.literal('critical'), fund: fund.optional() }),
    z.strictObject({ kind: z.literal('assistance'), fund: fund.optional() }),
    z.strictObject({ kind: z.literal('tilt'), fund: fund.optional() }),
    z.strictObject({
      kind: z.literal('supplementary'),
      fund: fund.optional(),
      id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _'),
      label: z.string().min(1),
      schemes: z.array(z.enum(SCHEMES)).min(1),
      visitKinds: z.array(visitKind).min(1),
      base: z.enum(SUPPLEMENTARY_BASES).default('unpaid'),
      /** Per bill, on the base, before the ratio. */
      threshold: yuan.default(0),
      ratio: percent,
      yearlyCap: capOrNone,
      attribute: z.enum(PERSON_ATTRIBUTES).optional(),
    }),
  ]),
);

/** The kinds, for messages: a discriminated union names only the ones it expected. */
export const TIER_KIND_LIST = TIER_KINDS.join(', ');

const tiltSchema = z.strictObject({
  visitKinds: z.array(visitKind).min(1),
  floors: z.record(identity, percent),
});

const subsidySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('full'), identities: z.array(identity).min(1), department }),
  z.strictObject({ kind: z.literal('fixed'), identities: z.array(identity).min(1), department, amount: yuan }),
  z.strictObject({ kind: z.literal('percentage'), identities: z.array(identity).min(1), department, percent }),
  z.strictObject({
    kind: z.literal('scheduled'),
    identities: z.array(identity).min(1),
    department,
    schedule: z.record(z.string().regex(/^\d{4}$/, 'a year'), percent),
  }),
]);

const months = z.number().int().min(0).max(24);

/** The collection window and the waiting period outside it (2024 national rules on continuous enrolment). */
const collectionSchema = z.strictObject({
  window: z.strictObject({ from: isoDate, to: isoDate }),
  /** Default: 1 January of the policy's year. */
  coverFrom: isoDate.optional(),
  waitingPeriod: z.strictObject({
    fixedMonths: months,
    monthsPerYearNotInsured: months,
    minMonths: months.default(0),
    maxMonths: months,
    countYearsFrom: z.number().int().min(2000).max(2100).optional(),
  }),
  exempt: z.array(z.enum(COVER_EXEMPTIONS)).default([]),
});

/** Rewards for continuous years and for a claim-free year: each raises the critical-illness yearly cap by a share of it. */
const rewardsSchema = z.strictObject({
  continuousAfterYears: z.number().int().min(0).max(50),
  capRaisePerContinuousYear: percent,
  capRaisePerClaimFreeYear: percent,
  maxCapRaise: percent,
});

const enrollmentSchema = z.strictObject({
  tiers: z.array(z.strictObject({ id: z.string().min(1), contribution: yuan })).min(1),
  fiscalSubsidyPerPerson: yuan.optional(),
  campaign: z.strictObject({ from: isoDate, to: isoDate }).optional(),
  collection: collectionSchema.optional(),
  rewards: rewardsSchema.optional(),
  subsidies: z.array(subsidySchema),
});

const thresholdSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _'),
  label: z.string().min(1),
  amount: yuan,
  identities: z.array(identity).min(1).optional(),
});

const monitoringSchema = z.strictObject({
  basis: z.string().min(1),
  fallingBackIdentities: z.array(identity),
  routes: z.strictObject({
    becoming_poor: z.array(department).min(1),
    falling_back: z.array(department).min(1),
  }),
  thresholds: z.array(thresholdSchema).min(1),
});

const benefitsSchema = z.strictObject({
  resident: schemeBenefitsSchema,
  /** Optional: a county policy may cover the resident scheme only. */
  employee: schemeBenefitsSchema.optional(),
  outOfArea: z.strictObject({ filed: percent, notFiled: percent }),
  critical: criticalSchema,
  assistance: assistanceSchema,
  supplementary: supplementarySchema.optional(),
  tilt: tiltSchema.optional(),
  /** The pipeline in order; absent: basic → critical → assistance → supplementary → tilt (SPEC §3.2). */
  tiers: z.array(tierEntrySchema).min(1).optional(),
});

/**
 * Rules that change on a date inside the year: `benefits` holds only what
 * changes (merged into the year's benefits, objects field by field, lists whole).
 */
const changeSchema = z.strictObject({
  from: isoDate,
  to: isoDate.optional(),
  note: z.string().optional(),
  benefits: z.record(z.string(), z.unknown()),
});

export const policyFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'kebab-case such as "lhasa-2025"'),
  name: z.strictObject({ zh: z.string().min(1), en: z.string().min(1), bo: z.string().optional() }),
  region: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code'), name: z.string().min(1) }),
  year: z.number().int().min(2000).max(2100),
  notes: z.array(z.string()).optional(),
  enrollment: enrollmentSchema,
  benefits: benefitsSchema,
  /** Which date of a bill picks the rules in force (default: the discharge date, the bill's date). */
  ruleDate: z.enum(RULE_DATES).default('discharge'),
  changes: z.array(changeSchema).optional(),
  monitoring: monitoringSchema,
  /** Optional: limits of out-of-area filings by reason (defaults in filing-limits.ts). */
  outOfAreaFiling: outOfAreaFilingSchema.optional(),
  /** Optional: the employee personal account (credits, what it pays, family sharing); absent: no accounts. */
  personalAccount: personalAccountSchema.optional(),
  /** Optional: quality deposit and budgets for the monthly clearing of hospitals (issue 14). */
  clearing: clearingSchema.optional(),
});

export type PolicyFile = z.output<typeof policyFileSchema>;
export type BenefitsFile = z.output<typeof benefitsSchema>;
export { benefitsSchema };
export type PolicyFileInput = z.input<typeof policyFileSchema>;
