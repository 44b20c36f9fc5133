/** Person and household search, and one person's page: masked numbers, audited unmasking, household, enrollments, settlements, filings. */
import { useState, type FormEvent } from 'react';
import { get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { FilingForm, FilingList, type Filing } from '../filing.tsx';
import { ErrorBox, Link, Loading, useLoad } from '../ui.tsx';
import { Pager } from './list-tools.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { EditPersonForm } from './RegisterForms.tsx';
import { FilingCancel } from './WindowUndo.tsx';

type ListedPerson = Answer<'GET', '/api/v1/console/persons'>['items'][number];

export function divisionName(lang: string, d: { name: string; nameBo?: string | null; nameEn?: string | null }): string {
  if (lang === 'bo' && d.nameBo) return d.nameBo;
  if (lang === 'en' && d.nameEn) return d.nameEn;
  return d.name;
}

const PAGE = 100;

export function PersonsPage() {
  const { t, num } = useI18n();
  const [text, setText] = useState(() => new URLSearchParams(location.search).get('q') ?? '');
  const [query, setQuery] = useState(text);
  const [offset, setOffset] = useState(0);
  const result = useLoad(
    () => get('/api/v1/console/persons', {}, { q: query, limit: PAGE, offset }),
    [query, offset],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    history.replaceState(null, '', `/console/persons?q=${encodeURIComponent(text)}`);
    setQuery(text);
    setOffset(0);
  };
  return (
    <section>
      <h1>{t('nav.persons')}</h1>
      <form onSubmit={submit} className="searchbar">
        <input name="q" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('person.searchHint')} aria-label={t('person.searchHint')} />
        <button type="submit" className="primary">
          {t('search')}
        </button>
      </form>
      <Loading loaded={result} />
      {result.data ? (
        result.data.items.length === 0 ? (
          <p className="muted">{t('person.noResults')}</p>
        ) : (
          <>
            <p className="muted" data-testid="person-count">{t('person.count', { n: num(result.data.total) })}</p>
            <Pager total={result.data.total} offset={offset} limit={PAGE} onOffset={setOffset} />
            <PersonTable people={result.data.items} />
          </>
        )
      ) : null}
    </section>
  );
}

function PersonTable({ people }: { people: ListedPerson[] }) {
  const { t, lang } = useI18n();
  return (
    <table className="grid" data-testid="persons">
      <thead>
        <tr>
          <th>{t('person.name')}</th>
          <th>{t('person.idNumber')}</th>
          <th>{t('person.phone')}</th>
          <th>{t('person.division')}</th>
          <th>{t('person.household')}</th>
          <th>{t('status')}</th>
        </tr>
      </thead>
      <tbody>
        {people.map((p) => (
          <tr key={p.id}>
            <td>
              <Link to={`/console/persons/${p.id}`}>{p.name}</Link>
              {p.nameBo ? <span lang="bo" className="name-bo"> {p.nameBo}</span> : null}
              {p.relation ? <small className="muted"> · {t(`relation.${p.relation}`)}</small> : null}
            </td>
            <td className="mono">{p.idNumber}</td>
            <td className="mono">{p.phone ?? '—'}</td>
            <td>{divisionName(lang, p.division)}</td>
            <td className="mono">{p.householdCode ? <Link to={`/console/households/${encodeURIComponent(p.householdCode)}`}>{p.householdCode}</Link> : '—'}</td>
            <td>{p.enrollmentStatus ? <span className={`badge ${p.enrollmentStatus}`}>{t(`enrollment.status.${p.enrollmentStatus}`)}</span> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PersonPage({ id, staff }: { id: number; staff: Staff }) {
  const { t, lang, date, money } = useI18n();
  const detail = useLoad(() => get('/api/v1/console/persons/{id}', { id }), [id]);
  const [full, setFull] = useState<Answer<'POST', '/api/v1/console/persons/{id}/unmask'>>();
  const [error, setError] = useState<unknown>();
  const unmask = async () => {
    try {
      setFull(await post('/api/v1/console/persons/{id}/unmask', { id }, { reason: 'console' }));
    } catch (e) {
      setError(e);
    }
  };
  if (!detail.data) return <Loading loaded={detail} />;
  const { person, household, identities, enrollments, settlements, filings } = detail.data;
  return (
    <section data-testid="person">
      <p>
        <Link to="/console/persons">← {t('back')}</Link>
      </p>
      <h1 data-testid="person-name">
        {full?.name ?? person.name}
        {person.nameBo ? <span lang="bo" className="name-bo"> · {person.nameBo}</span> : null}
      </h1>
      <dl className="facts">
        <dt>{t('person.idNumber')}</dt>
        <dd className="mono" data-testid="id-number">{full?.idNumber ?? person.idNumber}</dd>
        <dt>{t('person.phone')}</dt>
        <dd className="mono">{full ? (full.phone ?? '—') : (person.phone ?? '—')}</dd>
        <dt>{t('person.sex')}</dt>
        <dd>{t(`sex.${person.sex}`)}</dd>
        <dt>{t('person.birthDate')}</dt>
        <dd data-testid="birth-date">{full?.birthDate ? date(full.birthDate) : '—'}</dd>
        <dt>{t('person.division')}</dt>
        <dd>{divisionName(lang, person.division)}</dd>
        <dt>{t('person.household')}</dt>
        <dd className="mono">
          {person.householdCode ? <Link to={`/console/households/${encodeURIComponent(person.householdCode)}`}>{person.householdCode}</Link> : '—'}
        </dd>
      </dl>
      <p data-testid="account-link">
        <Link to={`/console/persons/${id}/account`}>{person.scheme === 'employee' ? t('account.open') : t('account.openSharing')}</Link>
      </p>
      {staff.permissions.includes('person.unmask') && !full ? (
        <p>
          <button type="button" onClick={unmask} data-testid="unmask">
            {t('person.unmask')}
          </button>{' '}
          <small className="muted">{t('person.unmaskNote')}</small>
        </p>
      ) : null}
      <ErrorBox error={error} />

      <h2>{t('person.identities')}</h2>
      {identities.length ? (
        <ul className="tags">
          {identities.map((i, n) => (
            <li key={n}>
              {t(`identity.${i.identity}`)} <small className="muted">({t(`department.${i.department}`)}, {date(i.validFrom)}–{i.validTo ? date(i.validTo) : ''})</small>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('none')}</p>
      )}

      <h2>{t('person.enrollments')}</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('year')}</th>
            <th>{t('status')}</th>
            <th className="num">{t('enrollment.contribution')}</th>
            <th className="num">{t('enrollment.subsidy')}</th>
            <th className="num">{t('enrollment.individual')}</th>
            <th className="num">{t('enrollment.paid')}</th>
          </tr>
        </thead>
        <tbody>
          {enrollments.map((e) => (
            <tr key={e.year}>
              <td>{e.year}</td>
              <td>
                <span className={`badge ${e.status}`}>{t(`enrollment.status.${e.status}`)}</span>
                {e.subsidyIdentity ? <small className="muted"> · {t(`identity.${e.subsidyIdentity}`)}</small> : null}
              </td>
              <td className="num">{money(e.contribution)}</td>
              <td className="num">{money(e.subsidy)}</td>
              <td className="num">{money(e.individual)}</td>
              <td className="num">{money(e.paid)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {settlements ? <h2>{t('person.settlements')}</h2> : null}
      {!settlements ? null : settlements.length ? (
        <table className="grid" data-testid="person-settlements">
          <thead>
            <tr>
              <th>{t('date')}</th>
              <th>{t('settlement.facility')}</th>
              <th>{t('settlement.kind')}</th>
              <th className="num">{t('settlement.totalCost')}</th>
              <th className="num">{t('settlement.fundsPaid')}</th>
              <th className="num">{t('settlement.selfPay')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {settlements.map((s) => (
              <tr key={s.id}>
                <td>{date(s.date)}</td>
                <td>{s.facility}</td>
                <td>{t(`kind.${s.kind}`)}</td>
                <td className="num">{money(s.total)}</td>
                <td className="num">{money(s.funds)}</td>
                <td className="num">{money(s.selfPay)}</td>
                <td>
                  <Link to={`/console/settlements/${s.id}`}>{t('settlement.explain')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('none')}</p>
      )}

      <h2>{t('person.members')}</h2>
      <table className="grid">
        <tbody>
          {household.map((m) => (
            <tr key={m.id}>
              <td>{m.id === person.id ? <strong>{m.name}</strong> : <Link to={`/console/persons/${m.id}`}>{m.name}</Link>}</td>
              <td>{m.relation ? t(`relation.${m.relation}`) : ''}</td>
              <td className="mono">{m.idNumber}</td>
              <td>{m.enrollmentStatus ? t(`enrollment.status.${m.enrollmentStatus}`) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {staff.permissions.includes('person.write') ? <EditPersonForm personId={id} onDone={detail.reload} /> : null}

      <h2>{t('person.filings')}</h2>
      <FilingList
        filings={filings}
        {...(staff.permissions.includes('filing.write') ? { action: (f: Filing) => (f.status === 'active' ? <FilingCancel personId={id} filing={f} onDone={detail.reload} /> : null) } : {})}
      />
      {staff.permissions.includes('filing.write') ? <FilingForm personId={id} onDone={detail.reload} /> : null}
    </section>
  );
}
