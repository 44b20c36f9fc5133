/** Claim review (智能审核): the queue of flags with the reviewer's decisions, statistics per hospital and rule, and a batch run. */
import { useState, type FormEvent } from 'react';
import { parseYuan } from '../../../src/domain/money.ts';
import { get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Link, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';

export type ReviewFlag = Answer<'GET', '/api/v1/review/flags'>['items'][number];

const STATUSES = ['open', 'returned', 'explained', 'accepted', 'deducted'] as const;

export function ReviewPage({ staff }: { staff: Staff }) {
  const { t, money, date } = useI18n();
  const [status, setStatus] = useState('open');
  const [selected, setSelected] = useState<number>();
  const list = useLoad(() => get('/api/v1/review/flags', {}, { limit: 200, status }), [status]);
  const stats = useLoad(() => get('/api/v1/review/stats', {}), [list.data]);
  const canDecide = staff.permissions.includes('review.decide');
  const flag = list.data?.items.find((f) => f.id === selected);
  return (
    <section>
      <h1>{t('nav.review')}</h1>
      {canDecide ? <BatchRun onDone={list.reload} /> : null}
      <h2>{t('review.stats')}</h2>
      <Loading loaded={stats} />
      {stats.data ? (
        <table className="grid" data-testid="review-stats">
          <thead>
            <tr>
              <th>{t('settlement.facility')}</th>
              <th>{t('review.rule')}</th>
              <th className="num">{t('review.flags')}</th>
              <th className="num">{t('review.open')}</th>
              <th className="num">{t('review.inQuestion')}</th>
              <th className="num">{t('review.deducted')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.data.items.map((s) => (
              <tr key={`${s.facility.code}-${s.rule}`}>
                <td>{s.facility.name}</td>
                <td>{t(`rule.${s.rule}`)}</td>
                <td className="num">{s.flags}</td>
                <td className="num">{s.open}</td>
                <td className="num">{money(s.amount)}</td>
                <td className="num">{money(s.deducted)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>{t('review.queue')}</h2>
      <div className="searchbar">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('status')} data-testid="flag-status">
          <option value="">{t('status')}: *</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`review.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <Loading loaded={list} />
      {list.data ? (
        list.data.items.length ? (
          <table className="grid" data-testid="flags">
            <thead>
              <tr>
                <th>{t('date')}</th>
                <th>{t('settlement.facility')}</th>
                <th>{t('review.rule')}</th>
                <th>{t('review.finding')}</th>
                <th className="num">{t('review.inQuestion')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((f) => (
                <tr key={f.id} className={f.id === selected ? 'selected' : ''}>
                  <td>
                    <Link to={`/console/settlements/${f.settlementId}`}>{date(f.visitDate)}</Link>
                  </td>
                  <td>{f.facility.name}</td>
                  <td>{t(`rule.${f.rule}`)}</td>
                  <td>{f.message}</td>
                  <td className="num">{money(f.amount)}</td>
                  <td>
                    {canDecide && (f.status === 'open' || f.status === 'explained') ? (
                      <button type="button" onClick={() => setSelected(f.id)} data-testid={`decide-${f.id}`}>
                        {t(`review.status.${f.status}`)} → {t('review.decide')}
                      </button>
                    ) : (
                      t(`review.status.${f.status}`)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{t('none')}</p>
        )
      ) : null}
      {flag ? <Decision flag={flag} onDone={() => (setSelected(undefined), list.reload())} /> : null}
    </section>
  );
}

function Decision({ flag, onDone }: { flag: ReviewFlag; onDone: () => void }) {
  const { t, money } = useI18n();
  const [decision, setDecision] = useState<'accept' | 'deduct' | 'return'>('accept');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body = decision === 'deduct' ? { decision, amount: parseYuan(amount), reason } : decision === 'return' ? { decision, reason } : { decision, ...(reason ? { reason } : {}) };
      await post('/api/v1/review/flags/{id}/decision', { id: flag.id }, body);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} data-testid="decision">
      <h2>
        {t(`rule.${flag.rule}`)} · {flag.transactionId}
      </h2>
      <p>{flag.message}</p>
      {flag.explanation ? (
        <p>
          {t('review.explanation')}: {flag.explanation}
        </p>
      ) : null}
      <p className="muted">
        {t('review.fundsPaid')}: {money(flag.fundsPaid)}
      </p>
      <Field label={t('review.decide')}>
        <select value={decision} onChange={(e) => setDecision(e.target.value as typeof decision)} name="decision">
          <option value="accept">{t('review.accept')}</option>
          <option value="deduct">{t('review.deduct')}</option>
          <option value="return">{t('review.return')}</option>
        </select>
      </Field>
      {decision === 'deduct' ? (
        <Field label={t('review.deductYuan')}>
          <input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
        </Field>
      ) : null}
      <Field label={t('review.reason')}>
        <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required={decision !== 'accept'} />
      </Field>
      <button type="submit" className="primary">
        {t('save')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function BatchRun({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const year = new Date().getFullYear() - 1;
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const [result, setResult] = useState<{ settlements: number; lines: number; flagsNew: number }>();
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      setResult(await post('/api/v1/review/runs', {}, { from, to }));
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="searchbar" onSubmit={submit} data-testid="batch-run">
      <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label={t('review.from')} />
      <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-label={t('review.to')} />
      <button type="submit">{t('review.runBatch')}</button>
      {result ? <span data-testid="batch-result">{t('review.batchResult', { settlements: result.settlements, lines: result.lines, flags: result.flagsNew })}</span> : null}
      <ErrorBox error={error} />
    </form>
  );
}
