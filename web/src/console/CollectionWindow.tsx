/**
 * The collection window (征缴窗口): find a person, enrol them for the year,
 * take a payment and print its receipt (told when a waiting period applies
 * and when cover starts), see the household's enrolment and payments, and
 * import a roster with its preview. Calls the same API as the CLI.
 */
import { useState, type FormEvent } from 'react';
import { get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Link, Loading, useLoad } from '../ui.tsx';
import { parseYuan } from '../../../src/domain/money.ts';
import { COVER_EXEMPTIONS } from '../../../src/domain/enrollment/cover.ts';
import type { Staff } from './ConsoleApp.tsx';
import { RosterImportPanel } from './RosterImport.tsx';
import { TaxReconcilePanel } from './TaxReconcile.tsx';
import { PaymentReversal, ReceiptLinks } from './WindowUndo.tsx';
import { useDefaultYear } from './year.ts';

type Found = Answer<'GET', '/api/v1/console/persons'>['items'][number];

export type Cover = NonNullable<Answer<'POST', '/api/v1/payments'>['cover']>;

/** The sentence that tells when cover starts, and why. */
export function coverSentence(t: ReturnType<typeof useI18n>['t'], c: Cover): string {
  return t(`window.cover.${c.reason}`, { date: c.coverFrom, months: c.waitingMonths, fixed: c.fixedMonths, variable: c.variableMonths, years: c.yearsNotInsured });
}

export function CollectionWindowPage({ staff }: { staff: Staff }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found[] | null>(null);
  const [person, setPerson] = useState<Found | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function search(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setFound((await get('/api/v1/console/persons', {}, { q: query.trim(), limit: 20 })).items);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section data-testid="collection-window">
      <h1>{t('nav.window')}</h1>
      <form onSubmit={search} className="search">
        <Field label={t('window.findPerson')}>
          <input name="q" value={query} onChange={(e) => setQuery(e.target.value)} required />
        </Field>
        <button type="submit">{t('window.search')}</button>
      </form>
      <ErrorBox error={error} />
      {found ? (
        <table className="grid" data-testid="window-found">
          <tbody>
            {found.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td className="mono">{p.idNumber}</td>
                <td>{p.householdCode ?? '—'}</td>
                <td>
                  <button type="button" name="serve" onClick={() => setPerson(p)}>{t('window.select')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {person ? <PersonAtWindow key={person.id} person={person} canReverse={staff.permissions.includes('payment.write')} /> : null}
      {staff.permissions.includes('roster.import') ? <RosterImportPanel divisionCode={staff.divisionCode} /> : null}
      <TaxReconcilePanel divisionCode={staff.divisionCode} />
    </section>
  );
}

function PersonAtWindow({ person, canReverse }: { person: Found; canReverse: boolean }) {
  const { t, money } = useI18n();
  const [year] = useDefaultYear();
  const today = new Date().toISOString().slice(0, 10);
  const [amount, setAmount] = useState('');
  const [paidOn, setPaidOn] = useState(today);
  const [method, setMethod] = useState('cash');
  const [exemption, setExemption] = useState('');
  const [reference, setReference] = useState('');
  const [answer, setAnswer] = useState<Answer<'POST', '/api/v1/payments'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const view = useLoad(
    () => (year ? get('/api/v1/persons/{id}/payments', { id: person.id }, { year }) : new Promise<never>(() => undefined)),
    [person.id, year],
  );
  async function enrol() {
    setError(null);
    try {
      await post('/api/v1/campaigns/{year}/open', { year: year! }, { division: person.divisionCode });
      view.reload();
    } catch (e) {
      setError(e);
    }
  }
  async function pay(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setAnswer(null);
    try {
      const fen = parseYuan(amount.trim());
      const body = { personId: person.id, year, amount: fen, paidOn, method, ...(exemption ? { exemption } : {}), ...(reference ? { reference } : {}) };
      setAnswer(await post('/api/v1/payments', {}, body));
      setAmount('');
      view.reload();
    } catch (err) {
      setError(err);
    }
  }
  const enrollment = view.data?.enrollment ?? null;
  return (
    <div className="panel" data-testid="window-person">
      <h2>
        {person.name} <small className="mono">{person.idNumber}</small> · {year}
      </h2>
      {person.householdCode ? <p><Link to={`/console/households/${encodeURIComponent(person.householdCode)}`}>{t('window.household')}</Link></p> : null}
      <Loading loaded={view} />
      {view.data && !enrollment ? (
        <p>
          {t('window.noEnrollment', { year: year ?? '' })} <button type="button" name="enrol" onClick={() => void enrol()}>{t('window.enrol')}</button>
        </p>
      ) : null}
      {enrollment ? (
        <dl className="facts" data-testid="window-enrollment">
          <dt>{t('status')}</dt>
          <dd><span className={`badge ${enrollment.status}`}>{t(`enrollment.status.${enrollment.status}`)}</span></dd>
          <dt>{t('enrollment.individual')}</dt>
          <dd>{money(Number(enrollment.individual_fen))}</dd>
          <dt>{t('enrollment.paid')}</dt>
          <dd>{money(Number(enrollment.paid_fen))}</dd>
          <dt>{t('window.coverFrom')}</dt>
          <dd>{enrollment.cover_from ?? '—'}</dd>
        </dl>
      ) : null}
      {enrollment && enrollment.status === 'pending' ? (
        <form onSubmit={pay} className="form-grid" data-testid="window-pay">
          <h3>{t('window.recordPayment')}</h3>
          <Field label={t('window.amount')}>
            <input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
          </Field>
          <Field label={t('window.paidOn')}>
            <input name="paidOn" type="date" max={today} value={paidOn} onChange={(e) => setPaidOn(e.target.value)} required />
          </Field>
          <Field label={t('window.method')}>
            <select name="method" value={method} onChange={(e) => setMethod(e.target.value)}>
              {(['cash', 'bank', 'mobile', 'transfer'] as const).map((m) => <option key={m} value={m}>{t(`window.method.${m}`)}</option>)}
            </select>
          </Field>
          <Field label={t('window.exemption')}>
            <select name="exemption" value={exemption} onChange={(e) => setExemption(e.target.value)}>
              <option value="">{t('window.exemption.none')}</option>
              {COVER_EXEMPTIONS.map((x) => <option key={x} value={x}>{t(`exemption.${x}`)}</option>)}
            </select>
          </Field>
          <Field label={t('window.reference')}>
            <input name="reference" value={reference} onChange={(e) => setReference(e.target.value)} />
          </Field>
          <button type="submit">{t('window.record')}</button>
        </form>
      ) : null}
      <ErrorBox error={error} />
      {answer ? (
        <div className="ok" data-testid="window-receipt">
          <strong>{t('window.receipt', { no: answer.payment.receipt_no })}</strong> · {money(Number(answer.payment.amount_fen))}{' '}
          <ReceiptLinks paymentId={answer.payment.id} />
          {answer.cover ? <p data-testid="window-cover">{coverSentence(t, answer.cover)}</p> : null}
        </div>
      ) : null}
      {view.data && view.data.payments.length > 0 ? (
        <table className="grid" data-testid="window-payments">
          <caption>{t('window.payments')}</caption>
          <tbody>
            {view.data.payments.map((p) => (
              <tr key={p.id} className={p.reversed_at ? 'muted' : ''}>
                <td className="mono">{p.receipt_no}</td>
                <td>{p.paid_on}</td>
                <td className="num">{money(Number(p.amount_fen))}</td>
                <td>{t(`window.method.${p.method}`)}</td>
                <td><ReceiptLinks paymentId={p.id} /></td>
                <td>{canReverse && !p.reversed_at ? <PaymentReversal paymentId={p.id} onDone={() => (setAnswer(null), view.reload())} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
