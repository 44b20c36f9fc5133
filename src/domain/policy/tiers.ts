/**
 * A policy's pipeline: the tiers a bill goes through, in the order the policy
 * lists them (SPEC §3.2's order when it lists none), each with the fund it pays from.
 */
import type { Fund } from '../vocabulary.ts';
import type { Report } from './compile.ts';
import type { BenefitsFile } from './schema.ts';
import type { SupplementaryRule, TierKind, TierSpec } from './types.ts';

/** The fund each kind of tier pays from. */
export const FUND_OF_TIER: Readonly<Record<TierKind, Fund>> = {
  basic: 'basic',
  critical: 'critical',
  assistance: 'assistance',
  supplementary: 'supplementary',
  tilt: 'tilt',
};

/** The pipeline of a policy without a `tiers` list: SPEC §3.2, every fund in its place. */
function defaultTiers(supplementary: SupplementaryRule | null): TierSpec[] {
  return [
    { kind: 'basic', fund: 'basic' },
    { kind: 'critical', fund: 'critical' },
    { kind: 'assistance', fund: 'assistance' },
    { kind: 'supplementary', fund: 'supplementary', rule: supplementary },
    { kind: 'tilt', fund: 'tilt' },
  ];
}

/** The pipeline of one period's benefits; every problem reported with its field. */
export function buildTiers(b: BenefitsFile, supplementary: SupplementaryRule | null, report: Report): TierSpec[] {
  if (b.tiers === undefined) return defaultTiers(supplementary);
  if (b.supplementary !== undefined) {
    report('benefits.supplementary', 'with a benefits.tiers list, list each supplementary insurance there (kind: supplementary)');
  }
  const out: TierSpec[] = [];
  const seen = new Set<string>();
  b.tiers.forEach((entry, i) => {
    const field = `benefits.tiers.${i}`;
    const fund = entry.fund ?? FUND_OF_TIER[entry.kind];
    if (fund !== FUND_OF_TIER[entry.kind]) {
      report(`${field}.fund`, `a ${entry.kind} tier pays from the ${FUND_OF_TIER[entry.kind]} fund, not from ${fund}`);
    }
    if (i === 0 && entry.kind !== 'basic') report(`${field}.kind`, 'the pipeline starts with the basic tier');
    const key = entry.kind === 'supplementary' ? `supplementary.${entry.id}` : entry.kind;
    if (seen.has(key)) report(field, `${key} is listed twice`);
    seen.add(key);
    switch (entry.kind) {
      case 'supplementary': {
        const { kind: _kind, fund: _fund, threshold, ...rest } = entry;
        out.push({ kind: 'supplementary', fund: 'supplementary', rule: { ...rest, deductible: threshold, attribute: entry.attribute ?? null } });
        break;
      }
      case 'tilt':
        if (b.tilt === undefined) report(field, 'a tilt tier needs the benefits.tilt section (its floors)');
        out.push({ kind: 'tilt', fund: 'tilt' });
        break;
      default:
        out.push({ kind: entry.kind, fund: entry.kind } as TierSpec);
    }
  });
  if (!seen.has('basic')) report('benefits.tiers', 'has no basic tier');
  if (b.tilt !== undefined && !seen.has('tilt')) report('benefits.tilt', 'is not in benefits.tiers, so it would never pay');
  return out;
}
