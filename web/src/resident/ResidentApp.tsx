/**
 * Resident self-service, phone first: sign in with an ID number and a
 * one-time code; enrollment, every reimbursement with what each fund paid, a
 * trial calculation on the engine, out-of-area filing; large type.
 */
import { Adjustments } from '../adjustments.tsx';
import { useState, type FormEvent } from 'react';
import { get, post, type Answer } from '../api-client.ts';
import { parseYuan } from '../../../src/domain/money.ts';
import { FilingForm, FilingList } from '../filing.tsx';
import { FUNDS, StepsTable } from '../explain.tsx';
import { useI18n } from '../i18n/index.tsx';
import { PlainExplanation } from '../plain-explanation.tsx';
import { InsuranceQr } from './InsuranceQr.tsx';
import { ErrorBox, Field, LanguageSwitch, LargeTypeToggle, Loading, useLoad } from '../ui.tsx';
import { MyAccount } from './MyAccount.tsx';
import { MyReceipts } from './MyReceipts.tsx';

type Me = Answer<'GET', '/api/v1/me'>;
type Reimbursement = Answer<'GET', '/api/v1/me/settlements'>['items'][number];
type Quote = Answer<'POST', '/api/v1/me/quote'>;

export function ResidentApp() {
  const { t } = useI18n();
  const me = useLoad(() => get('/api/v1/me', {}).catch(() => null), []);
  const signOut = async () => {
    await post('/api/v1/me/logout', {});
    me.reload();
  };
  return (
    <div className="app resident">
      <header className="topbar">
        <span className="brand">
          {t('app.title')} <small>{t('app.resident')}</small>
        </span>
        <div className="topbar-tools">
          <LanguageSwitch />
          <LargeTypeToggle />
          {me.data ? (
            <button type="button" onClick={signOut}>
              {t('signOut')}
            </button>
          ) : null}
        </div>
      </header>
      <main className="content narrow">{me.loading && me.data === undefined ? null : me.data ? <Home me={me.data} /> : <SignIn onDone={me.reload} />}</main>
    </div>
  );
}

function SignIn({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [idNumber, setIdNumber] = useState('');
  const [code, setCode] = useState('');
  // Where the code went: the masked phone, or null when no phone is registered.
  const [sent, setSent] = useState<{ phone: string | null }>();
  const [error, setError] = useState<unknown>();
  const delivery = useLoad(() => get('/api/v1/me/sign-in', {}), []).data?.delivery;
  const send = async () => {
    setError(undefined);
    try {
      setSent(await post('/api/v1/me/code', {}, { idNumber: idNumber.trim() }));
    } catch (e) {
      setError(e);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await post('/api/v1/me/login', {}, { idNumber: idNumber.trim(), code: code.trim() });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form onSubmit={submit} className="card" data-testid="resident-signin">
      <h1>{t('me.signInTitle')}</h1>
      <Field label={t('person.idNumber')}>
        <input name="idNumber" inputMode="text" autoComplete="off" maxLength={18} value={idNumber} onChange={(e) => setIdNumber(e.target.value)} required />
      </Field>
      {delivery === 'none' ? <p className="error" data-testid="signin-off">{t('error.SMS_NOT_CONFIGURED')}</p> : null}
      <button type="button" onClick={send} data-testid="send-code" disabled={idNumber.trim().length !== 18 || delivery === 'none'}>
        {t('me.sendCode')}
      </button>
      {sent ? (
        sent.phone ? (
          <p className="ok" data-testid="code-sent">
            {t('me.codeSentTo', { phone: sent.phone })}
          </p>
        ) : (
          <p className="warn" data-testid="no-phone">
            {t('me.noPhone')}
          </p>
        )
      ) : null}
      <Field label={t('me.code')}>
        <input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} required />
      </Field>
      <button type="submit" className="primary big">
        {t('signIn')}
      </button>
      {delivery === 'file' ? <p className="muted small" data-testid="demo-hint">{t('me.demoHint')}</p> : null}
      <ErrorBox error={error} />
    </form>
  );
}

function Home({ me }: { me: Me }) {
  const { t, money, lang, list } = useI18n();
  const settlements = useLoad(() => get('/api/v1/me/settlements', {}), []);
  const filings = useLoad(() => get('/api/v1/me/filings', {}), []);
  const d = me.person.division;
  const place = d ? (lang === 'bo' && d.name_bo ? d.name_bo : lang === 'en' && d.name_en ? d.name_en : d.name) : '';
  return (
    <>
      <h1 data-testid="hello">{t('me.hello', { name: lang === 'bo' && me.person.nameBo ? me.person.nameBo : me.person.name })}</h1>
      <p className="muted">
        <span className="mono">{me.person.idNumber}</span> · {place}
      </p>

      <section className="card">
        <h2>{t('me.enrollment')}</h2>
        {me.enrollments.map((e) => (
          <dl key={e.year} className="facts" data-testid="my-enrollment">
            <dt>{t('year')}</dt>
            <dd>
              {e.year} · <span className={`badge ${e.status}`}>{t(`enrollment.status.${e.status}`)}</span>
            </dd>
            <dt>{t('enrollment.contribution')}</dt>
            <dd>{money(e.contribution)}</dd>
            <dt>{t('enrollment.subsidy')}</dt>
            <dd>
              {money(e.subsidy)} {e.subsidyIdentity ? <small className="muted">({t(`identity.${e.subsidyIdentity}`)})</small> : null}
            </dd>
            <dt>{t('enrollment.paid')}</dt>
            <dd className="strong">
              {money(e.paid)} / {money(e.individual)}
            </dd>
            {e.coverFrom ? (
              <>
                <dt>{t('me.coverFrom')}</dt>
                <dd data-testid="my-cover">{e.coverFrom}</dd>
              </>
            ) : null}
            {e.waitingMonths > 0 && e.coverFrom ? (
              <dd className="warning" data-testid="my-waiting">{t('me.waiting', { months: e.waitingMonths, date: e.coverFrom })}</dd>
            ) : null}
            {e.paid > 0 ? <MyReceipts year={e.year} /> : null}
          </dl>
        ))}
        <InsuranceQr token={me.person.qrToken} />
        {me.identities.length ? <p className="muted">{list(me.identities.map((i) => t(`identity.${i.identity}`)))}</p> : null}
      </section>

      <MyAccount />

      <section className="card">
        <h2>{t('me.reimbursements')}</h2>
        <Loading loaded={settlements} />
        {settlements.data?.items.length === 0 ? <p className="muted">{t('me.noReimbursements')}</p> : null}
        <ul className="reimbursements" data-testid="reimbursements">
          {settlements.data?.items.map((s) => (
            <Reimbursement key={s.id} s={s} />
          ))}
        </ul>
      </section>

      <Quote defaultDate={me.quote?.date} />

      <section className="card">
        <h2>{t('me.filing')}</h2>
        <Loading loaded={filings} />
        {filings.data ? <FilingList filings={filings.data.items} /> : null}
        <FilingForm onDone={filings.reload} />
      </section>
    </>
  );
}

function Reimbursement({ s }: { s: Reimbursement }) {
  const { t, money, date, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const paid = FUNDS.reduce((sum, f) => sum + (s.funds[f] ?? 0), 0);
  return (
    <li className="reimbursement">
      <div className="row">
        <strong>{date(s.date)}</strong> · {lang === 'bo' && s.facilityBo ? s.facilityBo : s.facility} · {t(`kind.${s.kind}`)}
      </div>
      <dl className="facts">
        <dt>{t('settlement.totalCost')}</dt>
        <dd>{money(s.total)}</dd>
        {FUNDS.filter((f) => s.funds[f]).map((f) => (
          <FundRow key={f} label={t(`fund.${f}`)} value={money(s.funds[f] ?? 0)} />
        ))}
        <dt>{t('me.paidByFunds')}</dt>
        <dd>{money(paid)}</dd>
        <dt>{t('me.youPaid')}</dt>
        <dd className="strong">{money(s.selfPay)}</dd>
      </dl>
      <button type="button" className="link" onClick={() => setOpen(!open)}>
        {t('settlement.explain')}
      </button>
      {open ? (
        <>
          <PlainExplanation breakdown={s} />
          <StepsTable breakdown={s} showCodes={false} />
        </>
      ) : null}
      <Adjustments adjustments={s.adjustments ?? []} effective={s.status === 'settled' ? s.effective : undefined} audience="resident" settled={s.steps} />
    </li>
  );
}

function FundRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

function Quote({ defaultDate }: { defaultDate: string | undefined }) {
  const { t, money } = useI18n();
  // A day a policy covers (the server's choice), so the first try never answers NO_POLICY.
  const [form, setForm] = useState({ kind: 'inpatient', level: '2', date: defaultDate ?? new Date().toISOString().slice(0, 10), total: '', compliant: '' });
  const [result, setResult] = useState<Quote>();
  const [error, setError] = useState<unknown>();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    let total: number;
    let compliant: number;
    try {
      // Yuan typed by a person, parsed digit by digit into integer fen.
      total = parseYuan(form.total);
      compliant = form.compliant.trim() ? parseYuan(form.compliant) : total;
    } catch (e) {
      setError(e);
      return;
    }
    try {
      setResult(await post('/api/v1/me/quote', {}, { kind: form.kind, level: Number(form.level), date: form.date, total, compliant }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" data-testid="quote">
      <h2>{t('me.quote')}</h2>
      <form onSubmit={submit} className="form-grid">
        <Field label={t('settlement.kind')}>
          <select value={form.kind} onChange={set('kind')} name="kind">
            {['inpatient', 'outpatient', 'chronic'].map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settlement.level')}>
          <select value={form.level} onChange={set('level')} name="level">
            {['1', '2', '3'].map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('date')}>
          <input type="date" value={form.date} onChange={set('date')} name="date" required />
        </Field>
        <Field label={t('me.quoteTotal')}>
          <input inputMode="decimal" value={form.total} onChange={set('total')} name="total" placeholder="12000.00" required />
        </Field>
        <Field label={t('me.quoteCompliant')}>
          <input inputMode="decimal" value={form.compliant} onChange={set('compliant')} name="compliant" placeholder="10000.00" />
        </Field>
        <button type="submit" className="primary big">
          {t('me.quoteCalculate')}
        </button>
      </form>
      {error instanceof Error && error.message === 'amount' ? <p className="error">{t('error.INVALID_AMOUNT')}</p> : <ErrorBox error={error} />}
      {result ? (
        <div className="quote-result" data-testid="quote-result">
          <p className="lead">
            {t('me.quoteResult')} <strong className="huge">{money(result.selfPay)}</strong>
          </p>
          <PlainExplanation breakdown={result} />
          <StepsTable breakdown={result} showCodes={false} />
          <p className="muted small">{t('me.quoteNote')}</p>
        </div>
      ) : null}
    </section>
  );
}
