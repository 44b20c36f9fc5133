/**
 * Assistance payouts (救助金发放): prepare a grant's payout to a bank card,
 * approve it (never one's own grant: the server refuses and the page shows
 * it), send approved payouts to the bank, mark returns and re-issue them.
 * Card numbers are only ever shown masked.
 */
import { useState, type FormEvent } from 'react';
import { get, post } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Loading, useLoad } from '../ui.tsx';

export function PayoutsTab() {
  const { t, money } = useI18n();
  const [status, setStatus] = useState('');
  const list = useLoad(() => get('/api/v1/fund/payouts', {}, { limit: 200, status }), [status]);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const [form, setForm] = useState({ source: 'application', sourceId: '', accountNumber: '', bankName: '' });
  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setError(undefined);
    setMessage('');
    try {
      await fn();
      if (done) setMessage(done);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const prepare = (event: FormEvent) => {
    event.preventDefault();
    void act(() => post('/api/v1/fund/payouts', {}, { ...form, sourceId: Number(form.sourceId) }), t('payout.prepared'));
  };
  const returned = (id: number) => {
    const reason = window.prompt(t('payout.returnReason'));
    if (reason) void act(() => post('/api/v1/fund/payouts/{id}/returned', { id }, { reason }));
  };
  return (
    <div data-testid="payouts">
      <form className="card" onSubmit={prepare} data-testid="payout-form">
        <h3>{t('payout.prepare')}</h3>
        <Field label={t('payout.source')}>
          <select value={form.source} onChange={(e) => setForm({ ...form, source: e.target.value })}>
            <option value="application">{t('payout.source.application')}</option>
            <option value="exception">{t('payout.source.exception')}</option>
          </select>
        </Field>
        <Field label={t('payout.sourceId')}>
          <input inputMode="numeric" value={form.sourceId} onChange={(e) => setForm({ ...form, sourceId: e.target.value })} required data-testid="payout-source-id" />
        </Field>
        <Field label={t('payout.card')}>
          <input inputMode="numeric" autoComplete="off" value={form.accountNumber} onChange={(e) => setForm({ ...form, accountNumber: e.target.value })} required data-testid="payout-card" />
        </Field>
        <Field label={t('payout.bank')}>
          <input value={form.bankName} onChange={(e) => setForm({ ...form, bankName: e.target.value })} required data-testid="payout-bank" />
        </Field>
        <button type="submit" className="primary" data-testid="payout-prepare">{t('payout.prepare')}</button>
      </form>
      {message ? <p className="ok" data-testid="payout-message">{message}</p> : null}
      <ErrorBox error={error} />
      <div className="searchbar">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('status')}>
          <option value="">{t('fund.all')}</option>
          {(['pending', 'approved', 'sent', 'paid', 'returned'] as const).map((s) => <option key={s} value={s}>{t(`payout.status.${s}`)}</option>)}
        </select>
        <button type="button" onClick={() => act(() => post('/api/v1/fund/bank-batches', {}, { kind: 'payout', reference: `PAY-${Date.now()}` }), t('payout.batchDone'))} data-testid="payout-batch">
          {t('payout.batch')}
        </button>
      </div>
      <Loading loaded={list} />
      {list.data ? (
        <table className="grid" data-testid="payout-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('payout.source')}</th>
              <th className="num">{t('amount')}</th>
              <th>{t('payout.card')}</th>
              <th>{t('status')}</th>
              <th>{t('payout.people')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((p) => (
              <tr key={p.id} data-testid="payout-row">
                <td>{p.id}{p.reissueOf ? ` ← ${p.reissueOf}` : ''}</td>
                <td>{t(`payout.source.${p.source}`)} {p.sourceId}</td>
                <td className="num">{money(p.amount)}</td>
                <td data-testid="payout-account">{p.account} · {p.bankName}</td>
                <td>{t(`payout.status.${p.status}`)}{p.returnedReason ? ` (${p.returnedReason})` : ''}</td>
                <td>{t('payout.makerChecker', { granted: p.grantedBy, prepared: p.preparedBy, approved: p.approvedBy ?? '—' })}</td>
                <td>
                  {p.status === 'pending' ? <button type="button" onClick={() => act(() => post('/api/v1/fund/payouts/{id}/approve', { id: p.id }))} data-testid="payout-approve">{t('payout.approve')}</button> : null}
                  {p.status === 'sent' ? <button type="button" onClick={() => act(() => post('/api/v1/fund/payouts/{id}/paid', { id: p.id }))}>{t('payout.paid')}</button> : null}
                  {p.status === 'sent' || p.status === 'paid' ? <button type="button" onClick={() => returned(p.id)}>{t('payout.returned')}</button> : null}
                  {p.status === 'returned' ? <button type="button" onClick={() => act(() => post('/api/v1/fund/payouts/{id}/reissue', { id: p.id }, {}))}>{t('payout.reissue')}</button> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
