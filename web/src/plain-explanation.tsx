/**
 * A bill in plain words for the resident (issue 17): how much of it lay outside
 * what the policy pays for and why, the deductible, their share at the policy's
 * rates, what went above the funds' limits, and what the funds paid — every
 * figure from integer fen, no rule codes.
 */
import type { Breakdown } from './explain.tsx';
import { FUNDS } from './explain.tsx';
import { PlainWhy } from './bill-step.tsx';
import { useI18n } from './i18n/index.tsx';

export interface PlainParts {
  total: number;
  excluded: number;
  deductible: number;
  share: number;
  aboveCap: number;
  funds: number;
  selfPay: number;
}

/** The parts of the patient's payment, from the breakdown (all in fen; they add up to selfPay). */
export function plainParts(b: Breakdown): PlainParts {
  const excluded = b.selfPayExcluded ?? b.total - b.compliant;
  const funds = FUNDS.reduce((sum, f) => sum + (b.funds[f] ?? 0), 0);
  const compliantSelfPay = b.selfPay - excluded;
  const deductible = Math.min(compliantSelfPay, b.steps.find((s) => s.fund === 'basic')?.deductible ?? 0);
  const aboveCap = Math.min(compliantSelfPay - deductible, b.aboveCap ?? 0);
  return { total: b.total, excluded, deductible, share: compliantSelfPay - deductible - aboveCap, aboveCap, funds, selfPay: b.selfPay };
}

export function PlainExplanation({ breakdown }: { breakdown: Breakdown }) {
  const { t, money } = useI18n();
  const p = plainParts(breakdown);
  return (
    <div className="plain" data-testid="plain">
      <h3>{t('plain.title')}</h3>
      <ul>
        <li>{t('plain.total', { amount: money(p.total) })}</li>
        <li data-testid="plain-excluded">
          {p.excluded > 0 ? t('plain.excluded', { amount: money(p.excluded) }) : t('plain.nothingExcluded')}
          <PlainWhy steps={breakdown.steps} />
        </li>
        {p.deductible > 0 ? <li>{t('plain.deductible', { amount: money(p.deductible) })}</li> : null}
        {p.share > 0 ? <li>{t('plain.share', { amount: money(p.share) })}</li> : null}
        {p.aboveCap > 0 ? <li>{t('plain.aboveCap', { amount: money(p.aboveCap) })}</li> : null}
        <li>{t('plain.funds', { amount: money(p.funds) })}</li>
        <li className="strong">{t('plain.youPay', { amount: money(p.selfPay) })}</li>
      </ul>
    </div>
  );
}
