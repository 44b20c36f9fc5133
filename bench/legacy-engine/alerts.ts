import type { Fen } from '../../src/domain/money.ts';
import type { MonitoringRules } from '../../src/domain/policy/types.ts';
import type { Identity } from '../../src/domain/vocabulary.ts';
import { holdsAny } from './identities.ts';
import type { Alert, Risk } from '../../src/domain/engine/types.ts';

/** 因病返贫 for people with a poverty-alleviation or monitoring identity, 因病致贫 otherwise. */
export function riskOf(identities: readonly Identity[], rules: MonitoringRules): Risk {
  return holdsAny(identities, rules.fallingBackIdentities) ? 'falling_back' : 'becoming_poor';
}

/**
 * The alerts a bill raises: each threshold that applies to the person and that
 * the yearly self-pay crosses, from at or below it to above it, with this bill.
 */
export function alertsFor(
  identities: readonly Identity[],
  rules: MonitoringRules,
  before: Fen,
  after: Fen,
): Alert[] {
  const alerts: Alert[] = [];
  if (after <= before) return alerts;
  for (const threshold of rules.thresholds) {
    if (!(before <= threshold.amount && after > threshold.amount)) continue;
    if (threshold.identities !== null && !holdsAny(identities, threshold.identities)) continue;
    const risk = riskOf(identities, rules);
    alerts.push({
      threshold: threshold.id,
      label: threshold.label,
      amount: threshold.amount,
      yearlySelfPay: after,
      risk,
      departments: rules.routes[risk],
    });
  }
  return alerts;
}
