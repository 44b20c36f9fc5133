/**
 * What a clerk undoes at the window (issue 17) — a payment, a hospital's
 * settlement, an out-of-area filing — each in two steps: a reason and a
 * preview of what will change (the server's dry run: the same operation,
 * rolled back), then the confirmation. Offered only to roles that may; the
 * server refuses the others anyway. And the receipt's print links.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { post, type Answer } from '../api-client.ts';
import type { Filing } from '../filing.tsx';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field } from '../ui.tsx';

/** The receipt: the print-styled page (both languages), and the PDF in Chinese or in Tibetan. */
export function ReceiptLinks({ paymentId }: { paymentId: number }) {
  const { t } = useI18n();
  const url = `/api/v1/payments/${paymentId}/receipt`;
  return (
    <span className="receipt-links" data-testid="receipt-links">
      <a href={url} target="_blank" rel="noreferrer">{t('window.printReceipt')}</a>{' · '}
      <a href={`${url}?format=pdf&lang=zh-CN`} target="_blank" rel="noreferrer" data-lang="zh-CN">{t('receipt.pdf.zh')}</a>{' · '}
      <a href={`${url}?format=pdf&lang=bo`} target="_blank" rel="noreferrer" data-lang="bo">{t('receipt.pdf.bo')}</a>
    </span>
  );
}

/** Reason → preview (nothing written) → confirm. */
/** `call`: the operation, with the reason and whether to only preview it (dryRun). */
function UndoPanel<T>(props: { testid: string; label: string; confirmLabel: string; call: (body: { reason: string; dryRun: boolean }) => Promise<T>; preview: (answer: T) => ReactNode; done: (answer: T) => string; onDone: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<T | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async (dryRun: boolean) => {
    setError(null);
    try {
      const answer = await props.call({ reason: reason.trim(), dryRun });
      if (dryRun) setPreview(answer);
      else {
        setPreview(null);
        setOpen(false);
        setDone(props.done(answer));
        props.onDone();
      }
    } catch (e) {
      setError(e);
    }
  };
  if (!open) {
    return (
      <span data-testid={props.testid}>
        <button type="button" name="undo" onClick={() => (setOpen(true), setDone(null))}>{props.label}</button>
        {done ? <span className="ok" role="status"> {done}</span> : null}
      </span>
    );
  }
  return (
    <div className="panel undo" data-testid={props.testid}>
      <form onSubmit={(e: FormEvent) => (e.preventDefault(), void send(true))} className="form-grid">
        <Field label={t('undo.reason')}>
          <input name="reason" value={reason} onChange={(e) => (setReason(e.target.value), setPreview(null))} required minLength={2} maxLength={300} />
        </Field>
        <div>
          <button type="submit" name="preview">{t('undo.preview')}</button>{' '}
          <button type="button" name="close" onClick={() => (setOpen(false), setPreview(null), setError(null))}>{t('undo.cancel')}</button>
        </div>
      </form>
      {preview ? (
        <div className="warn" data-testid="undo-preview">
          <p>{t('undo.previewNote')}</p>
          {props.preview(preview)}
          <button type="button" className="primary" name="confirm" onClick={() => void send(false)}>{props.confirmLabel}</button>
        </div>
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}


export function PaymentReversal({ paymentId, onDone }: { paymentId: number; onDone: () => void }) {
  const { t, money } = useI18n();
  return (
    <UndoPanel
      testid="payment-reversal" label={t('payment.reverse')} confirmLabel={t('payment.reverse.confirm')} call={(body) => post('/api/v1/payments/{id}/reversal', { id: paymentId }, body)} onDone={onDone}
      done={(a) => t('payment.reverse.done', { no: a.payment.receipt_no })}
      preview={(a) => (
        <>
          <p>
            {t('payment.reverse.effect', {
              before: money(Number(a.before?.paid_fen ?? 0)), after: money(Number(a.enrollment.paid_fen)),
              statusBefore: t(`enrollment.status.${a.before?.status ?? 'pending'}`), statusAfter: t(`enrollment.status.${a.enrollment.status}`),
            })}
          </p>
          {a.before?.status === 'enrolled' && a.enrollment.status !== 'enrolled' ? (
            <p>{t('payment.reverse.coverEnds', { date: String(a.before.cover_from ?? '—').slice(0, 10) })}</p>
          ) : null}
        </>
      )}
    />
  );
}

const FUNDS = ['basic', 'critical', 'assistance', 'supplementary', 'tilt'] as const;
type Funds = Answer<'POST', '/api/v1/console/settlements/{id}/reversal'>['fundsReturned'];
export function SettlementReversal({ settlementId, onDone }: { settlementId: number; onDone: () => void }) {
  const { t, money, list } = useI18n();
  const changes = (funds: Funds) => FUNDS.filter((f) => funds[f] !== 0).map((f) => `${t(`fund.${f}`)} ${funds[f] > 0 ? '+' : ''}${money(funds[f])}`);
  return (
    <UndoPanel
      testid="settlement-reversal" label={t('settlement.reverse')} confirmLabel={t('settlement.reverse.confirm')} call={(body) => post('/api/v1/console/settlements/{id}/reversal', { id: settlementId }, body)}
      onDone={onDone} done={(a) => t('settlement.reverse.done', { transactionId: a.settlement.transactionId })}
      preview={(a) => (
        <>
          <p>{t('settlement.reverse.funds')}</p>
          <ul data-testid="undo-funds">
            {FUNDS.filter((f) => a.fundsReturned[f] !== 0).map((f) => <li key={f}>{t(`fund.${f}`)} {money(a.fundsReturned[f])}</li>)}
          </ul>
          {a.accountRestored > 0 ? <p>{t('settlement.reverse.account', { amount: money(a.accountRestored) })}</p> : null}
          <p>{a.laterBills.length ? t('settlement.reverse.later', { n: a.laterBills.length }) : t('settlement.reverse.noLater')}</p>
          {a.laterBills.length ? (
            <ul data-testid="undo-later">
              {a.laterBills.map((b, i) => (
                <li key={i}>
                  {t('settlement.reverse.laterLine', {
                    transactionId: b.transactionId,
                    changes: list([...changes(b.funds), ...(b.selfPay ? [t('settlement.reverse.selfPay', { amount: `${b.selfPay > 0 ? '+' : ''}${money(b.selfPay)}` })] : [])]),
                  })}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    />
  );
}

export function FilingCancel({ personId, filing, onDone }: { personId: number; filing: Filing; onDone: () => void }) {
  const { t, date } = useI18n();
  return (
    <UndoPanel
      testid="filing-cancel" label={t('filing.cancel')} confirmLabel={t('filing.cancel.confirm')} call={(body) => post('/api/v1/console/persons/{id}/filings/{filingId}/cancellation', { id: personId, filingId: filing.id }, body)}
      onDone={onDone} done={() => t('filing.cancel.done')}
      preview={(a) => <p>{t('filing.cancel.effect', { place: a.filing.treatment_place, from: date(a.filing.valid_from), to: date(a.filing.valid_to) })}</p>}
    />
  );
}
