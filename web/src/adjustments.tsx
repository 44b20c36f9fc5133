/**
 * Adjustment entries of a re-settled bill (issue 11), in plain words: why the
 * bill was settled again (an earlier bill cancelled or corrected), what each
 * fund pays more (补付) or recovers (追回), and how the patient's part changes.
 */
import { useState } from 'react';
import type { AdjustmentEntry as Adjustment, Effective } from '../../src/api/responses/types.ts';
import { FUNDS, StepsTable } from './explain.tsx';
import { useI18n } from './i18n/index.tsx';

export type { Adjustment, Effective };

export function Adjustments({ adjustments, effective, audience }: { adjustments: Adjustment[]; effective?: Effective | undefined; audience: 'resident' | 'staff' }) {
  const { t, money, date } = useI18n();
  const [open, setOpen] = useState(false);
  if (adjustments.length === 0) return null;
  const who = audience === 'resident' ? 'you' : 'patient';
  const steps = [...adjustments].reverse().find((a) => a.steps && a.steps.length > 0)?.steps;
  return (
    <div className="adjustments" data-testid="adjustments">
      <h3>{t('adjust.title')}</h3>
      <ul>
        {adjustments.map((a) => (
          <li key={a.id} data-testid="adjustment">
            <p>
              {t(a.kind === 'assistance_recovery' ? 'adjust.recovery' : `adjust.because.${a.cause.change}`, {
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
