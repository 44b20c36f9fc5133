import type { Fen } from '../money.ts';
import type { MonitoringRules } from '../policy/types.ts';
import type { Identity } from '../vocabulary.ts';
import { holdsAny } from './identities.ts';
import type { Alert, Risk } from './types.ts';

/** 因病返贫 for people with a poverty-alleviation or monitoring identity, 因病致贫 otherwise. */
export function riskOf(identities: readonly Identity[], rules: MonitoringRules): Risk {
  return holdsAny(identities, rules.fallingBackIdentities) ? 'falling_back' : 'becoming_poor';
}

/** Most bills cross no threshold: they share one empty, frozen list. */
const NONE: readonly Alert[] = Object.freeze([]);

/**
 * The alerts a bill raises: each threshold that applies to the person and that
 * the yearly self-pay crosses, from at or below it to above it, with this bill.
 */
export function alertsFor(
  identities: readonly Identity[],
  rules: MonitoringRules,
  before: Fen,
  after: Fen,
): readonly Alert[] {
  if (after <= before) return NONE;
  let alerts: Alert[] | null = null;
  const thresholds = rules.thresholds;
  for (let i = 0; i < thresholds.length; i++) {
    const threshold = thresholds[i]!;
    if (!(before <= threshold.amount && after > threshold.amount)) continue;
    if (threshold.identities !== null && !holdsAny(identities, threshold.identities)) continue;
    const risk = riskOf(identities, rules);
    (alerts ??= []).push({
      threshold: threshold.id,
      label: threshold.label,
      amount: threshold.amount,
      yearlySelfPay: after,
      risk,
      departments: rules.routes[risk],
    });
  }
  return alerts ?? NONE;
}
