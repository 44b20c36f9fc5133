/**
 * What a hospital is paid for one discharge under DRG: the group's standard
 * (weight × the base rate of the hospital's level), or the policy's outlier
 * rule when the bill is far above or below it. The patient's part stays what
 * the item-based settlement made it: the fund pays the rest of the payment.
 */
import { timesFactor, timesFactorDown, type TenThousandths } from './factor.ts';

export const PAYMENT_KINDS = ['standard', 'high_outlier', 'low_outlier', 'ungroupable', 'no_weight'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

export type OutlierPay = { readonly pay: 'fee_for_service' } | { readonly pay: 'ratio'; readonly ratio: TenThousandths };

export interface PaymentRules {
  readonly high: { readonly above: TenThousandths } & OutlierPay;
  readonly low: { readonly below: TenThousandths } & OutlierPay;
  /** Cases that could not be grouped (0000, QY), or whose group has no weight yet. */
  readonly ungroupable: 'fee_for_service' | 'none';
}

export interface DischargePayment {
  readonly kind: PaymentKind;
  /** weight × rate, fen (0 when there is no group or weight). */
  readonly standard: number;
  /** What the case is worth to the hospital, fen. */
  readonly payment: number;
  /** What the pooled fund pays: the payment less what the patient already paid, never below 0. */
  readonly fundPayment: number;
  /** The hospital's surplus (+) or deficit (−): what it receives less what the bill cost. */
  readonly surplus: number;
  /** One line on how the payment was reached. */
  readonly rule: string;
}

export interface PaymentCase {
  readonly total: number;
  readonly patientPaid: number;
  readonly grouped: boolean;
  /** null when the group has no weight. */
  readonly weight: TenThousandths | null;
  readonly rate: number;
}

function finish(c: PaymentCase, kind: PaymentKind, standard: number, payment: number, rule: string): DischargePayment {
  const fundPayment = Math.max(0, payment - c.patientPaid);
  return { kind, standard, payment, fundPayment, surplus: c.patientPaid + fundPayment - c.total, rule };
}

export function payDischarge(c: PaymentCase, rules: PaymentRules): DischargePayment {
  if (!c.grouped || c.weight === null) {
    const kind: PaymentKind = c.grouped ? 'no_weight' : 'ungroupable';
    const why = c.grouped ? 'its group has no weight' : 'not grouped';
    return rules.ungroupable === 'fee_for_service'
      ? finish(c, kind, 0, c.total, `${why}: paid fee-for-service, ${c.total}`)
      : finish(c, kind, 0, 0, `${why}: not paid until corrected`);
  }
  const standard = timesFactor(c.rate, c.weight);
  const high = timesFactorDown(standard, rules.high.above);
  const low = timesFactorDown(standard, rules.low.below);
  if (c.total > high) {
    if (rules.high.pay === 'fee_for_service') return finish(c, 'high_outlier', standard, c.total, `cost ${c.total} above ${high} (high outlier): fee-for-service`);
    const extra = timesFactor(c.total - high, rules.high.ratio);
    return finish(c, 'high_outlier', standard, standard + extra, `cost ${c.total} above ${high} (high outlier): standard ${standard} + ratio of ${c.total - high} = ${standard + extra}`);
  }
  if (c.total < low) {
    if (rules.low.pay === 'fee_for_service') return finish(c, 'low_outlier', standard, c.total, `cost ${c.total} below ${low} (low outlier): fee-for-service`);
    const paid = timesFactor(c.total, rules.low.ratio);
    return finish(c, 'low_outlier', standard, paid, `cost ${c.total} below ${low} (low outlier): ratio of the cost = ${paid}`);
  }
  return finish(c, 'standard', standard, standard, `weight ${c.weight}/10000 × rate ${c.rate} = ${standard}`);
}
