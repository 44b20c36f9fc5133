/**
 * Turns the text of a policy file into a validated {@link Policy}. Every error
 * names the file and the field, so a bureau can fix what it wrote.
 */
import { compileClearingTerms } from './clearing-terms.ts';
import { parse as parseYaml } from 'yaml';
import type { ZodIssue } from 'zod';
import { FULL } from '../money.ts';
import { compileFilingLimits } from './filing-limits.ts';
import { compilePersonalAccount } from '../account/rules.ts';
import { buildPeriods } from './periods.ts';
import { policyFileSchema, type BenefitsFile, type PolicyFile } from './schema.ts';
import { buildTiers } from './tiers.ts';
import type { Benefits, ByStatus, CriticalSchedule, Policy, SchemeBenefits, Subsidy } from './types.ts';
import type { CollectionRules } from '../enrollment/cover.ts';

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    readonly file: string,
    readonly problems: readonly { field: string; message: string }[],
  ) {
    super(problems.map((p) => `${file}: ${p.field || '(file)'}: ${p.message}`).join('\n'));
  }
}

function fieldOf(issue: ZodIssue): string {
  return issue.path.join('.');
}

/** Parses and validates a policy file's text (YAML or JSON; JSON is YAML). */
export function compilePolicy(text: string, file: string): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new PolicyError(file, [{ field: '', message: `not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}` }]);
  }
  const parsed = policyFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PolicyError(
      file,
      parsed.error.issues.map((issue) => ({ field: fieldOf(issue), message: issue.message })),
    );
  }
  const problems: { field: string; message: string }[] = [];
  // The band checks run for the standard and the tilted schedule alike: report each problem once.
  const report: Report = (field, message) => {
    if (!problems.some((p) => p.field === field && p.message === message)) problems.push({ field, message });
  };
  const policy = build(parsed.data, file, report);
  if (problems.length === 0) {
    const periods = buildPeriods((raw as { benefits: unknown }).benefits, parsed.data, policy.benefits, report);
    if (problems.length > 0) throw new PolicyError(file, problems);
    return { ...policy, periods };
  }
  if (problems.length > 0) throw new PolicyError(file, problems);
  return policy;
}

export type Report = (field: string, message: string) => void;

function build(data: PolicyFile, file: string, report: Report): Policy {
  const baseName = file.split(/[\\/]/).pop()!.replace(/\.(ya?ml|json)$/i, '');
  if (baseName !== data.id && /\.(ya?ml|json)$/i.test(file)) {
    report('id', `"${data.id}" does not match the file name "${baseName}"`);
  }
  if (!data.id.endsWith(String(data.year))) report('year', `${data.year} does not match the id "${data.id}"`);
  return {
    id: data.id,
    name: data.name,
    region: data.region,
    year: data.year,
    from: `${data.year}-01-01`,
    to: `${data.year}-12-31`,
    source: file,
    benefits: buildBenefits(data.benefits, '', report),
    periods: [], // filled by buildPeriods once the year's own rules are known to be sound
    ruleDate: data.ruleDate,
    enrollment: {
      tiers: data.enrollment.tiers,
      fiscalSubsidyPerPerson: data.enrollment.fiscalSubsidyPerPerson ?? null,
      campaign: data.enrollment.campaign ?? null,
      collection: collectionRules(data, report),
      rewards: data.enrollment.rewards ?? null,
      subsidies: data.enrollment.subsidies.map((s, i): Subsidy => {
        if (s.kind !== 'scheduled') {
          if (s.kind === 'fixed') checkFixed(s.amount, data, `enrollment.subsidies.${i}.amount`, report);
          return s;
        }
        const percent = s.schedule[String(data.year)];
        if (percent === undefined) report(`enrollment.subsidies.${i}.schedule`, `has no entry for the policy year ${data.year}`);
        return { kind: 'percentage', identities: s.identities, department: s.department, percent: percent ?? 0 };
      }),
    },
    monitoring: {
      ...data.monitoring,
      thresholds: data.monitoring.thresholds.map((t) => ({ ...t, identities: t.identities ?? null })),
    },
    outOfAreaFiling: compileFilingLimits(data.outOfAreaFiling),
    personalAccount: compilePersonalAccount(data.personalAccount),
    clearing: compileClearingTerms(data.clearing),
  };
}

/**
 * The benefits of one period, from their validated file form. `at` prefixes
 * each field reported ("changes.0." for a change's merged benefits).
 */
export function buildBenefits(b: BenefitsFile, at: string, report: Report): Benefits {
  const r: Report = (field, message) => report(`${at}${field}`, message);
  const supplementary = b.supplementary
    ? { id: 'supplementary', label: 'supplementary insurance', base: 'unpaid' as const, attribute: null, ...b.supplementary }
    : null;
  return {
    resident: schemeBenefits(b.resident, 'benefits.resident', r),
    employee: b.employee ? schemeBenefits(b.employee, 'benefits.employee', r) : null,
    outOfArea: b.outOfArea,
    critical: {
      schemes: b.critical.schemes,
      visitKinds: b.critical.visitKinds,
      standard: criticalSchedule(b.critical.threshold, b.critical.bands, 0, b.critical.yearlyCap, 'benefits.critical', r),
      tilted: b.critical.tilted
        ? {
            ...criticalSchedule(
              b.critical.tilted.threshold,
              b.critical.bands,
              b.critical.tilted.ratioBonus,
              b.critical.tilted.yearlyCap,
              'benefits.critical.tilted',
              r,
            ),
            identities: b.critical.tilted.identities,
            ratioBonus: b.critical.tilted.ratioBonus,
          }
        : null,
    },
    assistance: b.assistance,
    supplementary,
    tilt: b.tilt ?? null,
    tiers: buildTiers(b, supplementary, r),
  };
}

/** The collection window and waiting period, checked against the policy's year. */
function collectionRules(data: PolicyFile, report: Report): CollectionRules | null {
  const c = data.enrollment.collection;
  if (!c) return null;
  const at = 'enrollment.collection';
  const first = `${data.year}-01-01`;
  const last = `${data.year}-12-31`;
  const coverFrom = c.coverFrom ?? first;
  if (c.window.to < c.window.from) report(`${at}.window.to`, `${c.window.to} is before the window's start ${c.window.from}`);
  if (c.window.to > last) report(`${at}.window.to`, `${c.window.to} is after the policy's year (${data.year})`);
  if (c.window.from < `${data.year - 1}-01-01`) report(`${at}.window.from`, `${c.window.from} is more than a year before the policy's year`);
  if (coverFrom < first || coverFrom > last) report(`${at}.coverFrom`, `${coverFrom} is outside the policy's year (${data.year})`);
  const w = c.waitingPeriod;
  if (w.minMonths > w.maxMonths) report(`${at}.waitingPeriod.minMonths`, `${w.minMonths} is above maxMonths (${w.maxMonths})`);
  if (w.fixedMonths > w.maxMonths) report(`${at}.waitingPeriod.fixedMonths`, `${w.fixedMonths} is above maxMonths (${w.maxMonths})`);
  if (w.countYearsFrom !== undefined && w.countYearsFrom > data.year) report(`${at}.waitingPeriod.countYearsFrom`, `${w.countYearsFrom} is after the policy's year`);
  return {
    window: c.window,
    coverFrom,
    waiting: { ...w, countYearsFrom: w.countYearsFrom ?? null },
    exempt: c.exempt,
  };
}

function checkFixed(amount: number, data: PolicyFile, field: string, report: Report): void {
  const smallest = Math.min(...data.enrollment.tiers.map((t) => t.contribution));
  if (amount > smallest) report(field, `a fixed subsidy of ${amount} fen is more than the smallest contribution (${smallest} fen)`);
}

function level<T>(levels: Partial<Record<'1' | '2' | '3', T>>, field: string, report: Report): T[] {
  const out: T[] = [];
  for (const key of ['1', '2', '3'] as const) {
    const rule = levels[key];
    if (rule === undefined) report(`${field}.${key}`, 'is missing (levels 1, 2 and 3 are all needed)');
    else out.push(rule);
  }
  return out;
}

function byStatus<T>(value: T | ByStatus<T>): ByStatus<T> {
  if (typeof value === 'object' && value !== null && 'in_service' in value) return value;
  return { in_service: value as T, retired: value as T };
}

function schemeBenefits(s: PolicyFile['benefits']['resident'], field: string, report: Report): SchemeBenefits {
  const inpatient = level(s.inpatient.levels, `${field}.inpatient.levels`, report);
  const outLevels = level(s.outpatient.levels, `${field}.outpatient.levels`, report);
  const ratios = outLevels.map((l) => byStatus(l.ratio));
  const limits = s.chronic.classLimits;
  if (limits.A === undefined) report(`${field}.chronic.classLimits.A`, 'is missing');
  if (limits.B === undefined) report(`${field}.chronic.classLimits.B`, 'is missing');
  return {
    // Level 0 (village clinics, ≤ level 1) settles under the level-1 rule.
    inpatient: inpatient.length === 3 ? [inpatient[0]!, ...inpatient] : [],
    outpatient: {
      yearlyDeductible: byStatus(s.outpatient.yearlyDeductible),
      ratios: ratios.length === 3 ? [ratios[0]!, ...ratios] : [],
      yearlyCap: s.outpatient.yearlyCap,
    },
    chronic: {
      ratio: s.chronic.ratio,
      classLimits: { A: limits.A ?? 0, B: limits.B ?? 0 },
      catalogue: s.chronic.catalogue ? { categories: s.chronic.catalogue.categories, note: s.chronic.catalogue.note ?? null } : null,
    },
    yearlyCap: s.yearlyCap,
  };
}

function criticalSchedule(
  threshold: number,
  bands: readonly { upTo?: number | undefined; ratio: number }[],
  bonus: number,
  yearlyCap: number | null,
  field: string,
  report: Report,
): CriticalSchedule {
  let previous = threshold;
  const out = bands.map((band, i) => {
    const last = i === bands.length - 1;
    if (last && band.upTo !== undefined) report(`benefits.critical.bands.${i}.upTo`, 'the last band must be open (no upTo)');
    if (!last && band.upTo === undefined) report(`benefits.critical.bands.${i}.upTo`, 'is required on every band but the last');
    const upTo = last ? Infinity : (band.upTo ?? Infinity);
    if (upTo <= previous) report(`benefits.critical.bands.${i}.upTo`, `must be above ${previous} fen (the threshold or the band before)`);
    previous = upTo;
    const ratio = band.ratio + bonus;
    if (ratio > FULL) report(`${field}.bands.${i}.ratio`, 'the ratio with its bonus is above 100%');
    return { upTo, ratio };
  });
  return { threshold, bands: out, yearlyCap };
}
