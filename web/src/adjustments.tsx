/**
 * Adjustment entries of a re-settled bill (issue 11), in plain words: why the
 * bill was settled again (an earlier bill cancelled or corrected), what each
 * fund pays more (补付) or recovers (追回), and how the patient's part changes.
 */
import { useState } from 'react';
import type { AdjustmentEntry as Adjustment, Effective } from '../../src/api/responses/types.ts';
import { billStepOf } from './bill-step.tsx';
import { FUNDS, StepsTable, type Step } from './explain.tsx';
import { useI18n } from './i18n/index.tsx';

export type { Adjustment, Effective };

/**
 * Why the entry was made, in plain words: this bill settled again; assistance on application paid on it recovered
 * (this bill cancelled) or worked out again (another bill changed); a case-by-case approval on it recovered.
 */
function reasonOf(a: Adjustment): string {
  if (a.kind === 'exception_recovery') return 'adjust.exception_recovery';
  if (a.kind === 'assistance_recovery') return a.settlementId === a.cause.settlementId && a.cause.change === 'reversal' ? 'adjust.recovery' : `adjust.application.${a.cause.change}`;
  return `adjust.because.${a.cause.change}`;
}

/**
 * `settled`: the steps the bill was first settled with. Re-adjudication settles the funds again, not the lines:
 * the first bill step still tells the compliant amount while it is unchanged.
 */
export function Adjustments({ adjustments, effective, audience, settled }: { adjustments: Adjustment[]; effective?: Effective | undefined; audience: 'resident' | 'staff'; settled?: Step[] | undefined }) {
  const { t, money, date } = useI18n();
  const [open, setOpen] = useState(false);
  if (adjustments.length === 0) return null;
  const who = audience === 'resident' ? 'you' : 'patient';
  const latest = [...adjustments].reverse().find((a) => a.steps && a.steps.length > 0)?.steps;
  const bill = billStepOf(settled);
  const steps = latest && bill && !billStepOf(latest) && bill.amount === effective?.compliant ? [...latest, bill] : latest;
  return (
    <div className="adjustments" data-testid="adjustments">
      <h3>{t('adjust.title')}</h3>
      <ul>
        {adjustments.map((a) => (
          <li key={a.id} data-testid="adjustment">
            <p>
              {t(reasonOf(a), {
                date: date(a.cause.visitDate),
                facility: a.cause.facility,
              })}{' '}
              <span className="muted small">({date(a.createdAt)})</span>
            </p>
            <ul>
              {a.entries.map((e) => (
                <li key={e.fund} className={e.direction === 'pay' ? 'pay' : 'recover'}>
                  {t(`adjust.${e.direction}`, { fund: t(`fund.${e.fund}`), amount: money(e.amount) })}
                </li>
              ))}
              {a.selfPay !== 0 ? (
                <li className="strong">{t(`adjust.${who}.${a.selfPay > 0 ? 'more' : 'less'}`, { amount: money(Math.abs(a.selfPay)) })}</li>
              ) : null}
            </ul>
          </li>
        ))}
      </ul>
      {effective ? (
        <p data-testid="effective">
          {t('adjust.effective', {
            funds: money(FUNDS.reduce((sum, f) => sum + (effective.funds[f] ?? 0), 0)),
            selfPay: money(effective.selfPay),
          })}
        </p>
      ) : null}
      {effective && steps ? (
        <>
          <button type="button" className="link" data-testid="adjusted-explain" onClick={() => setOpen(!open)}>
            {t('adjust.explain')}
          </button>
          {open ? <StepsTable breakdown={{ ...effective, steps }} showCodes={audience !== 'resident'} /> : null}
        </>
      ) : null}
    </div>
  );
}
