/** The step-by-step explanation of a settlement or a trial calculation: one row per fund, in settlement order. */
import type { Breakdown as Settled, Step } from '../../src/api/responses/types.ts';
import { BILL_FUND, BillStepLines, billSentence } from './bill-step.tsx';
import { useI18n, type I18n } from './i18n/index.tsx';

export type { Step };
/** What the explanation needs of an answer (a settlement, a trial calculation, a reimbursement): the API's own types. */
export type Breakdown = Pick<Settled, 'total' | 'compliant' | 'funds' | 'selfPay' | 'steps'> & Partial<Pick<Settled, 'selfPayCompliant' | 'selfPayExcluded' | 'aboveCap'>>;

export const FUNDS = ['basic', 'critical', 'assistance', 'supplementary', 'tilt'] as const;

/**
 * The sentence for one step, from the catalogue. A rule the catalogue does not
 * name (a supplementary tier a bureau added, say) falls back to its fund's
 * general sentence, or the fund's "does not apply" one.
 */
export function explainStep(i18n: I18n, step: Step): string {
  const { t, has, money, percent } = i18n;
  if (step.fund === BILL_FUND) return billSentence(i18n, step);
  const params = {
    base: money(step.base),
    ratio: step.ratio !== undefined ? percent(step.ratio) : '—',
    deductible: money(step.deductible ?? 0),
    identity: step.identity ? t(`identity.${step.identity}`) : t('none'),
    before: money(step.accumulated?.before ?? 0),
    after: money(step.accumulated?.after ?? 0),
    threshold: money(step.accumulated?.threshold ?? 0),
  };
  const general = step.rule.endsWith('.not_applicable') ? `rule.${step.fund}.not_applicable` : `rule.${step.fund}`;
  const key = has(`rule.${step.rule}`)
    ? `rule.${step.rule}`
    : step.fund === 'basic'
      ? 'rule.basic.other'
      : has(general)
        ? general
        : undefined;
  let text = key ? t(key, params) : t(`fund.${step.fund}`);
  const separator = i18n.lang === 'zh-CN' ? '；' : i18n.lang === 'bo' ? '། ' : '; ';
  if (step.capRemaining !== undefined) text += `${separator}${t('rule.capRemaining', { amount: money(step.capRemaining) })}`;
  return text;
}

/** The steps; `showCodes` adds each step's rule code for staff (a resident reads the sentence only). */
export function StepsTable({ breakdown, showCodes = true }: { breakdown: Breakdown; showCodes?: boolean }) {
  const i18n = useI18n();
  const { t, money } = i18n;
  return (
    <div className="steps">
      <dl className="summary">
        <dt>{t('settlement.totalCost')}</dt>
        <dd data-testid="total">{money(breakdown.total)}</dd>
        <dt>{t('settlement.compliant')}</dt>
        <dd>{money(breakdown.compliant)}</dd>
        {FUNDS.filter((f) => breakdown.funds[f]).map((f) => (
          <FundLine key={f} label={t(`fund.${f}`)} value={money(breakdown.funds[f] ?? 0)} />
        ))}
        <dt>{t('settlement.selfPay')}</dt>
        <dd className="strong" data-testid="self-pay">
          {money(breakdown.selfPay)}
        </dd>
      </dl>
      <h3>{t('settlement.steps')}</h3>
      <ol className="step-list" data-testid="steps">
        {breakdown.steps.map((step, i) => (
          <li key={i} className={step.amount ? '' : 'zero'}>
            <div className="step-head">
              <span className={`fund-tag fund-${step.fund}`}>{t(`fund.${step.fund}`)}</span>
              <span className="step-amount">{money(step.amount)}</span>
            </div>
            <div className="step-text">{explainStep(i18n, step)}</div>
            {step.fund === BILL_FUND ? <BillStepLines step={step} showCodes={showCodes} /> : null}
            <div className="step-meta muted">
              {t('settlement.step.base')}: {money(step.base)}
              {showCodes ? (
                <>
                  {' · '}
                  <code>{step.rule}</code>
                </>
              ) : null}
              {step.note && step.fund !== BILL_FUND ? ` · ${step.note}` : ''}
            </div>
          </li>
        ))}
      </ol>
      {breakdown.aboveCap ? <p className="warn">{t('settlement.aboveCap')}: {money(breakdown.aboveCap)}</p> : null}
    </div>
  );
}

function FundLine({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
