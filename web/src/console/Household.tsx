/** One household for the year (the enrollment API's household view): members, identities, contributions, subsidies, what is due. */
import { get } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { AddMemberForm, MoveHouseholdForm } from './RegisterForms.tsx';
import { useDefaultYear } from './year.ts';
import { PaymentReversal, ReceiptLinks } from './WindowUndo.tsx';

export function HouseholdPage({ code, staff }: { code: string; staff?: Staff }) {
  const { t, money, num, list } = useI18n();
  const [year] = useDefaultYear();
  const view = useLoad(
    () => (year ? get('/api/v1/households/{ref}', { ref: code }, { year }) : new Promise<never>(() => undefined)),
    [code, year],
  );
  if (!view.data) return <Loading loaded={view} />;
  const { household, members, totals } = view.data;
  const status = (s: string) => (s === 'enrolled' || s === 'pending' || s === 'cancelled' ? t(`enrollment.status.${s}`) : t('enrollment.status.pending'));
  return (
    <section data-testid="household">
      <h1>
        {t('person.household')} <span className="mono">{household.code}</span> · {view.data.year}
      </h1>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('person.name')}</th>
            <th>{t('person.idNumber')}</th>
            <th>{t('person.identities')}</th>
            <th>{t('status')}</th>
            <th className="num">{t('enrollment.contribution')}</th>
            <th className="num">{t('enrollment.subsidy')}</th>
            <th className="num">{t('enrollment.individual')}</th>
            <th className="num">{t('enrollment.paid')}</th>
            <th>{t('window.coverFrom')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.personId}>
              <td>
                <Link to={`/console/persons/${m.personId}`}>{m.name}</Link>
                {m.relation ? <small className="muted"> · {t(`relation.${m.relation}`)}</small> : null}
              </td>
              <td className="mono">{m.idNumber}</td>
              <td>{list(m.identities.map((i) => t(`identity.${i.identity}`))) || '—'}</td>
              <td>
                <span className={`badge ${m.status}`}>{status(m.status)}</span>
              </td>
              <td className="num">{money(m.contribution)}</td>
              <td className="num">{money(m.subsidy)}</td>
              <td className="num">{money(m.individual)}</td>
              <td className="num">{money(m.paid)}</td>
              <td>{m.coverFrom ?? '—'}</td>
            </tr>
          ))}
          <tr className="strong">
            <td colSpan={4}>
              {t('total')} · {t('person.count', { n: num(totals.members) })}
            </td>
            <td className="num">{money(totals.contribution)}</td>
            <td className="num">{money(totals.subsidy)}</td>
            <td className="num">{money(totals.individual)}</td>
            <td className="num">{money(totals.paid)}</td>
            <td />
          </tr>
        </tbody>
      </table>
      {view.data.payments && view.data.payments.length > 0 ? (
        <table className="grid" data-testid="household-payments">
          <caption>{t('window.payments')}</caption>
          <tbody>
            {view.data.payments.map((p) => (
              <tr key={p.id} className={p.reversed ? 'muted' : ''}>
                <td>{members.find((m) => m.personId === p.personId)?.name ?? p.personId}</td>
                <td className="mono">{p.receiptNo}</td>
                <td>{p.paidOn}</td>
                <td className="num">{money(p.amount)}</td>
                <td>{t(`window.method.${p.method}`)}</td>
                <td><ReceiptLinks paymentId={p.id} /></td>
                <td>{staff?.permissions.includes('payment.write') && !p.reversed ? <PaymentReversal paymentId={p.id} onDone={view.reload} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {staff?.permissions.includes('person.write') ? (
        <div className="register-forms">
          <AddMemberForm householdId={household.id} onDone={view.reload} />
          <MoveHouseholdForm householdId={household.id} divisionCode={household.divisionCode} onDone={view.reload} />
        </div>
      ) : null}
    </section>
  );
}
