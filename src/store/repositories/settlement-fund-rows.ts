/**
 * A settlement's rows of `settlement_funds`: one per fund (its primary key is
 * the settlement and the fund, and every reader sums or keys by fund). A policy
 * that lists several supplementary tiers has several steps paying from the
 * supplementary fund; their row holds their sum, the base of the step that
 * paid first, and the rule of that step when it is the only one paying (else
 * the fund's name). Each tier's own figures stay in the steps.
 */
import type { Step } from '../../domain/engine/types.ts';
import type { Fund } from '../../domain/vocabulary.ts';

export interface FundRows {
  readonly fund: Fund[];
  readonly base: number[];
  readonly amount: number[];
  readonly rule: string[];
}

export function fundRows(steps: readonly (Step & { readonly fund: Fund })[]): FundRows {
  const out: FundRows = { fund: [], base: [], amount: [], rule: [] };
  const payers: number[] = [];
  for (const step of steps) {
    const i = out.fund.indexOf(step.fund);
    if (i < 0) {
      out.fund.push(step.fund);
      out.base.push(step.base);
      out.amount.push(step.amount);
      out.rule.push(step.rule);
      payers.push(step.amount > 0 ? 1 : 0);
      continue;
    }
    if (step.amount > 0) {
      if (out.amount[i] === 0) {
        out.base[i] = step.base;
        out.rule[i] = step.rule;
      }
      payers[i]! += 1;
      if (payers[i]! > 1) out.rule[i] = step.fund;
    }
    out.amount[i]! += step.amount;
  }
  return out;
}
