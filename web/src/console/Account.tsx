/**
 * A person's personal account in the console (issue 13): balance, contribution
 * base, the yearly statement (with a printable page), and family sharing —
 * link a registered spouse, parent or child, or end a link. The monthly credit
 * run is on the accounts page. The server decides every refusal; the page shows it.
 */
import { useState, type FormEvent } from 'react';
import { del, get, post, put, type Answer } from '../api-client.ts';
import { parseYuan } from '../../../src/domain/money.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Link, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { useDefaultYear } from './year.ts';

/** A personal account's statement of a year (the API's answer, shared with the resident page). */
export type Statement = Answer<'GET', '/api/v1/console/persons/{id}/account'>;

/** The statement's lines as a table; shared with the resident page. */
export function StatementTable({ statement }: { statement: Statement }) {
  const { t, money, date } = useI18n();
  if (statement.lines.length === 0) return <p className="muted">{t('account.noMovement')}</p>;
  return (
    <table className="grid" data-testid="statement-lines">
      <thead>
        <tr>
          <th>{t('date')}</th>
          <th>{t('account.item')}</th>
          <th className="num">{t('amount')}</th>
          <th className="num">{t('account.balanceAfter')}</th>
        </tr>
      </thead>
      <tbody>
        {statement.lines.map((l) => (
          <tr key={l.id} data-kind={l.kind}>
            <td>{date(l.at)}</td>
            <td>
              {t(`account.kind.${l.kind}`)}
              {l.month ? ` ${l.month}` : ''}
              {l.bill ? ` · ${l.bill.facility} ${date(l.bill.visitDate)}` : ''}
              {l.beneficiary && !l.beneficiary.self ? ` · ${t('account.forRelative', { name: l.beneficiary.maskedName ?? '', relation: l.beneficiary.relation ? t(`account.relation.${l.beneficiary.relation}`) : '' })}` : ''}
            </td>
            <td className="num">{money(l.amount)}</td>
            <td className="num">{money(l.balanceAfter)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AccountPage({ id, staff }: { id: number; staff: Staff }) {
  const { t, money, lang } = useI18n();
  const [year, setYear] = useDefaultYear();
  const data = useLoad(() => (year ? get('/api/v1/console/persons/{id}/account', { id }, { year }) : new Promise<never>(() => undefined)), [id, year]);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [base, setBase] = useState('');
  const [relative, setRelative] = useState('');
  const [relation, setRelation] = useState('');
  const act = async (fn: () => Promise<unknown>, message: string) => {
    setError(undefined);
    setDone(undefined);
    try {
      await fn();
      setDone(message);
      data.reload();
    } catch (e) {
      setError(e);
    }
  };
  const saveBase = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => put('/api/v1/console/persons/{id}/account/base', { id }, { base: parseYuan(base) }), t('saved'));
  };
  const link = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => post('/api/v1/console/persons/{id}/family-links', { id }, { relativeIdNumber: relative, ...(relation ? { relation } : {}) }), t('account.linked'));
  };
  if (!data.data) return <Loading loaded={data} />;
  const s = data.data;
  const employee = s.person.scheme === 'employee';
  return (
    <section data-testid="account">
      <p>
        <Link to={`/console/persons/${id}`}>← {t('back')}</Link>
      </p>
      <h1>
        {t('account.title')} · {s.person.maskedName} <small className="muted mono">{s.person.idNumber}</small>
      </h1>
      <p>
        <label>
          {t('year')}{' '}
          <input type="number" value={year ?? ''} min={2000} max={2100} onChange={(e) => setYear(Number(e.target.value))} data-testid="account-year" />
        </label>{' '}
        <a href={`/api/v1/console/persons/${id}/account?year=${s.year}&format=html&lang=${lang}`} target="_blank" rel="noreferrer" data-testid="account-print">
          {t('account.print')}
        </a>
      </p>
      {employee ? (
        <dl className="facts">
          <dt>{t('account.balance')}</dt>
          <dd className="strong" data-testid="account-balance">{money(s.balance)}</dd>
          <dt>{t('account.base')}</dt>
          <dd>{s.contributionBase === null ? '—' : money(s.contributionBase)}</dd>
          <dt>{t('account.opening')}</dt>
          <dd>{money(s.opening)}</dd>
          <dt>{t('account.credits')}</dt>
          <dd>{money(s.totals.credits)}</dd>
          <dt>{t('account.ownSpends')}</dt>
          <dd>{money(s.totals.ownSpends)}</dd>
          <dt>{t('account.familySpends')}</dt>
          <dd>{money(s.totals.familySpends)}</dd>
          <dt>{t('account.restored')}</dt>
          <dd>{money(s.totals.restored)}</dd>
          <dt>{t('account.closing')}</dt>
          <dd data-testid="account-closing">{money(s.closing)}</dd>
        </dl>
      ) : (
        <p className="muted">{t('account.residentNone')}</p>
      )}
      {employee && staff.permissions.includes('payment.write') ? (
        <form onSubmit={saveBase} className="card form-grid" data-testid="base-form">
          <Field label={t('account.baseYuan')}>
            <input value={base} onChange={(e) => setBase(e.target.value)} inputMode="decimal" required />
          </Field>
          <button type="submit">{t('save')}</button>
        </form>
      ) : null}

      <h2>{t('account.sharing')}</h2>
      {s.sharing.length ? (
        <table className="grid" data-testid="sharing">
          <tbody>
            {s.sharing.map((l) => (
              <tr key={l.linkId} data-status={l.status}>
                <td>{l.role === 'holder' ? t('account.paysFor') : t('account.paidBy')}</td>
                <td>{l.maskedName}</td>
                <td>{t(`account.relation.${l.relation}`)}</td>
                <td>{t(`account.linkStatus.${l.status}`)}</td>
                <td>
                  {l.status === 'active' && l.role === 'holder' && staff.permissions.includes('person.write') ? (
                    <button type="button" onClick={() => void act(() => del('/api/v1/console/family-links/{id}', { id: l.linkId }), t('account.unlinked'))}>
                      {t('account.unlink')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('none')}</p>
      )}
      {employee && staff.permissions.includes('person.write') ? (
        <form onSubmit={link} className="card form-grid" data-testid="link-form">
          <Field label={t('account.relativeIdNumber')}>
            <input value={relative} onChange={(e) => setRelative(e.target.value.trim())} maxLength={18} required className="mono" />
          </Field>
          <Field label={t('account.relationLabel')}>
            <select value={relation} onChange={(e) => setRelation(e.target.value)}>
              <option value="">{t('account.relationFromRegister')}</option>
              {['spouse', 'parent', 'child'].map((r) => (
                <option key={r} value={r}>
                  {t(`account.relation.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="primary">
            {t('account.link')}
          </button>
        </form>
      ) : null}
      {done ? <p className="ok" data-testid="account-done">{done}</p> : null}
      <ErrorBox error={error} />

      <h2>{t('account.statement', { year: s.year })}</h2>
      <StatementTable statement={s} />
    </section>
  );
}

/** The bureau's monthly credit run. */
export function AccountsPage() {
  const { t, money, num } = useI18n();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [result, setResult] = useState<{ month: string; employees: number; credited: number; amount: number; alreadyCredited: number; skippedNoBase: number; skippedNoPolicy: number }>();
  const [error, setError] = useState<unknown>();
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await post('/api/v1/console/account-credits', {}, { month }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section data-testid="accounts">
      <h1>{t('nav.accounts')}</h1>
      <p className="muted">{t('account.creditNote')}</p>
      <form onSubmit={run} className="card form-grid" data-testid="credit-form">
        <Field label={t('account.month')}>
          <input value={month} onChange={(e) => setMonth(e.target.value)} placeholder="2025-06" required />
        </Field>
        <button type="submit" className="primary">
          {t('account.creditRun')}
        </button>
      </form>
      <ErrorBox error={error} />
      {result ? (
        <p className="ok" data-testid="credit-result">
          {t('account.creditResult', {
            month: result.month, credited: num(result.credited), amount: money(result.amount), already: num(result.alreadyCredited),
            noBase: num(result.skippedNoBase), noPolicy: num(result.skippedNoPolicy),
          })}
        </p>
      ) : null}
    </section>
  );
}
