/**
 * Reconciliation (对账) and monthly clearing (清算): mismatches staff follow to
 * resolution; clearing a month, its statements, and the bank batch.
 */
import { useState, type FormEvent } from 'react';
import { get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';

type Reconciliation = Answer<'GET', '/api/v1/fund/reconciliations'>['items'][number];
type Clearing = Answer<'GET', '/api/v1/fund/clearings'>['items'][number];

/** The national clearing classes (clr_type) by the visit kind they clear. */
const CLEARING_CLASS: Readonly<Record<string, string>> = { '11': 'outpatient', '14': 'chronic', '21': 'inpatient' };

export function ReconciliationTab({ staff }: { staff: Staff }) {
  const { t, has, money } = useI18n();
  /** A 3201 line named in the reader's words (the codes stay in its tooltip). */
  const lineName = (l: { insutype: string; clr_type: string }) => {
    const scheme = has(`insutype.${l.insutype}`) ? t(`insutype.${l.insutype}`) : l.insutype;
    const kind = CLEARING_CLASS[l.clr_type];
    return `${scheme} · ${kind ? t(`kind.${kind}`) : l.clr_type}`;
  };
  const [status, setStatus] = useState('open');
  const list = useLoad(() => get('/api/v1/fund/reconciliations', {}, { limit: 100, status }), [status]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const canFollow = staff.permissions.includes('clearing.manage');
  const follow = async (id: number, to: 'explained' | 'resolved') => {
    setError(undefined);
    try {
      await post('/api/v1/fund/reconciliations/{id}/follow-up', { id }, { status: to, note });
      setNote('');
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div data-testid="reconciliations">
      <div className="searchbar">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('status')} data-testid="reconciliation-status">
          <option value="">{t('fund.all')}</option>
          {(['open', 'explained', 'resolved', 'matched'] as const).map((s) => <option key={s} value={s}>{t(`reconciliation.${s}`)}</option>)}
        </select>
      </div>
      <ErrorBox error={error} />
      <Loading loaded={list} />
      {list.data?.items.length === 0 ? <p>{t('none')}</p> : null}
      {list.data?.items.map((r) => (
        <div key={r.id} className="card" data-testid="reconciliation">
          <h3>{r.facility.name} · {r.period.from} – {r.period.to} · {t(`reconciliation.${r.status}`)}</h3>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('reconciliation.line')}</th>
                <th className="num">{t('reconciliation.count')}</th>
                <th className="num">{t('reconciliation.medfee')}</th>
                <th className="num">{t('reconciliation.fund')}</th>
                <th className="num">{t('reconciliation.difference')}</th>
              </tr>
            </thead>
            <tbody>
              {r.lines.map((l) => (
                <tr key={`${l.insutype}/${l.clr_type}`} className={l.matched ? '' : 'warn'}>
                  <td title={`${l.insutype}/${l.clr_type}`} data-testid="reconciliation-line">{lineName(l)}</td>
                  <td className="num">{l.bureau.fixmedins_setl_cnt} / {l.hospital.fixmedins_setl_cnt}</td>
                  <td className="num">{money(l.bureau.medfee_sumamt)} / {money(l.hospital.medfee_sumamt)}</td>
                  <td className="num">{money(l.bureau.fund_pay_sumamt)} / {money(l.hospital.fund_pay_sumamt)}</td>
                  <td className="num">{money(l.difference.medfee_sumamt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.differences.length > 0 ? (
            <p>{t('reconciliation.differences', { n: String(r.differences.length) })}: {r.differences.slice(0, 10).map((d) => `${d.setl_id}${'kind' in d ? ` (${t(`reconciliation.kind.${d.kind}`)})` : ''}`).join(', ')}</p>
          ) : null}
          {r.note ? <p>{r.note}</p> : null}
          {canFollow && (r.status === 'open' || r.status === 'explained') ? (
            <div className="searchbar">
              <input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('reconciliation.note')} aria-label={t('reconciliation.note')} data-testid="reconciliation-note" />
              {r.status === 'open' ? <button type="button" onClick={() => follow(r.id, 'explained')} data-testid="reconciliation-explain">{t('reconciliation.explain')}</button> : null}
              <button type="button" onClick={() => follow(r.id, 'resolved')} data-testid="reconciliation-resolve">{t('reconciliation.resolve')}</button>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}

export function ClearingTab({ staff }: { staff: Staff }) {
  const { t, money } = useI18n();
  const [period, setPeriod] = useState('');
  const list = useLoad(() => get('/api/v1/fund/clearings', {}, { limit: 200, period }), [period]);
  const [month, setMonth] = useState('');
  const [reference, setReference] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>();
  const canClear = staff.permissions.includes('clearing.manage');
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setMessage('');
    try {
      const r = await post('/api/v1/fund/clearings', {}, { month });
      setMessage([t('clearing.done', { n: String(r.cleared.length), month }), r.alreadyCleared.length > 0 ? t('clearing.already', { facilities: r.alreadyCleared.join(', ') }) : ''].filter(Boolean).join(' · '));
      setPeriod(month);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const batch = async () => {
    setError(undefined);
    try {
      const b = await post('/api/v1/fund/bank-batches', {}, { kind: 'clearing', period, reference });
      setMessage(t('clearing.batchDone', { n: String(b.lines), amount: money(b.total_fen) }));
      window.open(`/api/v1/fund/bank-batches/${b.id}/file?format=xlsx`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div data-testid="clearings">
      {canClear ? (
        <form className="searchbar" onSubmit={run}>
          <Field label={t('clearing.month')}>
            <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} required data-testid="clearing-month" />
          </Field>
          <button type="submit" className="primary" data-testid="clearing-run">{t('clearing.run')}</button>
        </form>
      ) : null}
      {message ? <p className="ok" data-testid="clearing-message">{message}</p> : null}
      <ErrorBox error={error} />
      <div className="searchbar">
        <input value={period} onChange={(e) => setPeriod(e.target.value)} placeholder="2025-06" aria-label={t('clearing.period')} data-testid="clearing-period" />
        {canClear && period ? (
          <>
            <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder={t('clearing.reference')} aria-label={t('clearing.reference')} />
            <button type="button" onClick={batch} disabled={!reference} data-testid="clearing-batch">{t('clearing.batch')}</button>
          </>
        ) : null}
      </div>
      <Loading loaded={list} />
      {list.data ? (
        <table className="grid" data-testid="clearing-table">
          <thead>
            <tr>
              <th>{t('settlement.facility')}</th>
              <th>{t('clearing.period')}</th>
              <th className="num">{t('clearing.deductions')}</th>
              <th className="num">{t('clearing.drg')}</th>
              <th className="num">{t('clearing.deposit')}</th>
              <th className="num">{t('clearing.net')}</th>
              <th>{t('clearing.statement')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.id}>
                <td>{c.facility.name}</td>
                <td>{c.period}{c.kind === 'year_end' ? ` · ${t('clearing.yearEnd')}` : ''}</td>
                <td className="num">{money(c.reviewDeductions + c.overBudget)}</td>
                <td className="num">{money(c.drgDifference)}</td>
                <td className="num">{money(c.depositReleased - c.depositWithheld)}</td>
                <td className="num" data-testid="clearing-net">{money(c.net)}</td>
                <td>
                  <a href={`/api/v1/fund/clearings/${c.id}/statement?format=pdf`}>PDF</a> · <a href={`/api/v1/fund/clearings/${c.id}/statement?format=csv`}>CSV</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
