/**
 * The DRG report of a policy's year: group coverage, CMI per hospital, cost per
 * case and length of stay by hospital level against the year before, surplus
 * per hospital, and the outliers. Money in fen; ratios in basis points.
 */
import type { Queryable } from '../store/db.ts';
import { cmiFigures, costByLevelYear, coverageFigures, outlierFigures, surplusFigures } from '../store/repositories/drg-reports.ts';
import type { DrgContext } from './drg-catalogues.ts';

/** a ÷ b half-up, integers; 0 when b is 0. */
const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.floor((2 * a + b) / (2 * b)));

/** The report of a policy's year over the hospitals inside `division` (a code prefix; '' for every hospital). */
export async function drgReport(q: Queryable, ctx: Pick<DrgContext, 'policy'>, policyId: string, division = '') {
  const policy = ctx.policy(policyId);
  const range = { from: `${policy.year}-01-01`, to: `${policy.year}-12-31` };
  const coverage = await coverageFigures(q, range, division);
  const grouped = coverage.byMdc.reduce((s, m) => s + m.cases - m.ungroupable, 0);
  const cost = await costByLevelYear(q, [policy.year - 1, policy.year], division);
  const levels = [...new Set(cost.map((c) => c.level))].sort((a, b) => b - a);
  const costByLevel = levels.map((level) => {
    const at = (year: number) => cost.find((c) => c.level === level && c.year === year);
    const figures = (year: number) => {
      const c = at(year);
      return c ? { cases: c.cases, costPerCase: ratio(c.total, c.cases), stayTenths: ratio(c.days * 10, c.cases) } : null;
    };
    const before = figures(policy.year - 1);
    const now = figures(policy.year);
    // Change of cost per case, basis points (−1868 = −18.68 %).
    const change = before && now && before.costPerCase > 0 ? Math.round(((now.costPerCase - before.costPerCase) * 10_000) / before.costPerCase) : null;
    return { level, before, now, costChangeBp: change };
  });
  const cmi = await cmiFigures(q, policy.id, range, division);
  const surplus = await surplusFigures(q, policy.id, division);
  const outliers = await outlierFigures(q, policy.id, 50, division);
  return {
    policy: { id: policy.id, name: policy.name, year: policy.year, table: policy.table },
    coverage: {
      discharges: coverage.all.discharges,
      grouped,
      ungroupable: coverage.all.withGrouping - grouped,
      notGroupedYet: coverage.all.discharges - coverage.all.withGrouping,
      // Share of discharges placed in a group, basis points.
      groupedBp: ratio(grouped * 10_000, coverage.all.discharges),
      drgsUsed: coverage.all.drgs,
      byMdc: coverage.byMdc.map((m) => ({ mdc: m.mdc ?? '0000', cases: m.cases, ungroupable: m.ungroupable, drgs: m.drg_count })),
      reasons: coverage.reasons.map((r) => ({ reason: r.reason_code, cases: r.cases })),
    },
    cmi: cmi.map((c) => ({ facility: c.facility_code, name: c.facility_name, level: c.level, cases: c.cases, cmi: c.cmi_10k })),
    costByLevel,
    surplus: surplus.map((s) => ({ facility: s.facility_code, name: s.facility_name, level: s.level, cases: s.cases, months: s.months, payment: s.payment_fen, fundPayment: s.fund_payment_fen, cost: s.total_fen, surplus: s.surplus_fen })),
    outliers,
  };
}

export type DrgReport = Awaited<ReturnType<typeof drgReport>>;
