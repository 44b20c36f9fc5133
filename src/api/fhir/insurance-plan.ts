/**
 * InsurancePlan, built from a policy file: its region and year, and per scheme
 * the deductible and ratio of each visit kind and hospital level, the funds
 * that pay each visit kind and their yearly caps — as the policy stands on its
 * first day (rules that change inside the year are listed in `plan.comment`).
 */
import type { Policy, SchemeBenefits } from '../../domain/policy/types.ts';
import type { Fund, Scheme, VisitKind } from '../../domain/vocabulary.ts';
import { SCHEMES, VISIT_KINDS } from '../../domain/vocabulary.ts';
import { SANBAO_FHIR, sanbaoConcept, SYSTEM } from './code-systems.ts';
import { fenToDecimal, fenToMoney } from './money.ts';
import { insurerReference, type Json } from './reference.ts';

/** A yuan amount as a Quantity (InsurancePlan's costs and limits are Quantities). */
const yuan = (fen: number) => ({ value: Number(fenToDecimal(fen)), unit: 'CNY', system: SYSTEM.currency, code: 'CNY' });
/** A ratio in basis points as a percentage Quantity: 8500 → 85 %. The same two-decimal text, never bp / 100. */
const percent = (bp: number) => ({ value: Number(fenToDecimal(bp)), unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
const text = (t: string) => ({ text: t });

function fundsFor(policy: Policy, scheme: Scheme, kind: VisitKind): Fund[] {
  const b = policy.benefits;
  const out: Fund[] = ['basic'];
  if (b.critical.schemes.includes(scheme) && b.critical.visitKinds.includes(kind)) out.push('critical');
  if (b.assistance.visitKinds.includes(kind)) out.push('assistance');
  const supplementary = b.tiers.some((t) => t.kind === 'supplementary' && t.rule !== null && t.rule.schemes.includes(scheme) && t.rule.visitKinds.includes(kind));
  if (supplementary) out.push('supplementary');
  if (b.tilt?.visitKinds.includes(kind)) out.push('tilt');
  return out;
}

function yearlyLimit(policy: Policy, benefits: SchemeBenefits, kind: VisitKind, fund: Fund): number | null {
  const b = policy.benefits;
  if (fund === 'basic') return kind === 'inpatient' ? benefits.yearlyCap : kind === 'outpatient' ? benefits.outpatient.yearlyCap : Math.max(benefits.chronic.classLimits.A, benefits.chronic.classLimits.B);
  if (fund === 'critical') return b.critical.standard.yearlyCap;
  if (fund === 'assistance') return b.assistance.yearlyCap.ordinary;
  return null;
}

function coverageOfKind(policy: Policy, kind: VisitKind): Json {
  const resident = policy.benefits.resident;
  return {
    type: sanbaoConcept(SYSTEM.visitKind, kind),
    benefit: fundsFor(policy, 'resident', kind).map((fund) => {
      const limit = yearlyLimit(policy, resident, kind, fund);
      return {
        type: sanbaoConcept(SYSTEM.fund, fund),
        ...(limit !== null ? { limit: [{ value: yuan(limit), code: text('yearly cap (封顶线)') }] } : {}),
      };
    }),
  };
}

function planOf(policy: Policy, scheme: Scheme, benefits: SchemeBenefits): Json {
  const levelCosts = (level: number) => {
    const l = benefits.inpatient[level]!;
    return { type: text(`hospital level ${level}`), cost: [{ type: text('deductible (起付线)'), value: yuan(l.deductible) }, { type: text('ratio (报销比例)'), value: percent(l.ratio) }] };
  };
  return {
    type: sanbaoConcept(SYSTEM.scheme, scheme),
    generalCost: [{ type: text('yearly basic fund cap, inpatient (封顶线)'), cost: fenToMoney(benefits.yearlyCap) }],
    specificCost: [
      { category: sanbaoConcept(SYSTEM.visitKind, 'inpatient'), benefit: [1, 2, 3].map(levelCosts) },
      {
        category: sanbaoConcept(SYSTEM.visitKind, 'outpatient'),
        benefit: [1, 2, 3].map((level) => ({ type: text(`hospital level ${level}`), cost: [{ type: text('ratio (报销比例)'), value: percent(benefits.outpatient.ratios[level]!.in_service) }] })),
      },
      {
        category: sanbaoConcept(SYSTEM.visitKind, 'chronic'),
        benefit: [{ type: text('all levels'), cost: [{ type: text('ratio (报销比例)'), value: percent(benefits.chronic.ratio) }] }],
      },
    ],
  };
}

export function insurancePlanOf(policy: Policy): Json {
  const changes = policy.periods.slice(1).map((p) => `from ${p.from}${p.note ? `: ${p.note}` : ''}`);
  return {
    resourceType: 'InsurancePlan',
    id: policy.id,
    identifier: [{ system: SYSTEM.policy, value: policy.id }],
    status: 'active',
    name: policy.name.zh,
    alias: [policy.name.en, ...(policy.name.bo ? [policy.name.bo] : [])],
    period: { start: policy.from, end: policy.to },
    ownedBy: insurerReference(policy),
    administeredBy: insurerReference(policy),
    coverageArea: [{ identifier: { system: `${SANBAO_FHIR}/sid/division`, value: policy.region.code }, display: policy.region.name }],
    coverage: VISIT_KINDS.map((kind) => coverageOfKind(policy, kind)),
    plan: SCHEMES.flatMap((scheme) => {
      const benefits = scheme === 'resident' ? policy.benefits.resident : policy.benefits.employee;
      if (!benefits) return [];
      const plan = planOf(policy, scheme, benefits);
      return [changes.length ? { ...plan, generalCost: [{ ...(plan.generalCost as Json[])[0], comment: `rules change inside the year: ${changes.join('; ')}` }] } : plan];
    }),
  };
}
