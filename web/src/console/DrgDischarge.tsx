/** One discharge under DRG: its settlement list, the coder's findings, every rule that grouped it, and its payments. */
import { get } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Loading, useLoad } from '../ui.tsx';
import { factor } from './DrgReports.tsx';

export function DrgDischargePage({ id }: { id: number }) {
  const { t, money, date } = useI18n();
  const loaded = useLoad(() => get('/api/v1/drg/discharges/{id}', { id }), [id]);
  if (!loaded.data) return <Loading loaded={loaded} />;
  const d = loaded.data;
  const a = d.abstract;
  const g = d.grouping;
  return (
    <section data-testid="drg-discharge">
      <h1>
        {t('drg.discharge')} {d.setlId}
      </h1>
      <dl className="facts">
        <dt>{t('drg.person')}</dt>
        <dd>{a.psnNo}</dd>
        <dt>{t('drg.dischargeDate')}</dt>
        <dd>
          {date(a.dischargeDate)} · {t('drg.days', { n: String(a.iptDays) })}
        </dd>
        <dt>{t('drg.principal')}</dt>
        <dd>{a.principal}</dd>
        <dt>{t('drg.secondary')}</dt>
        <dd>{a.secondary.join(', ') || t('none')}</dd>
        <dt>{t('drg.procedures')}</dt>
        <dd>{[a.mainProcedure, ...a.otherProcedures].filter(Boolean).join(', ') || t('none')}</dd>
        <dt>{t('drg.cost')}</dt>
        <dd>
          {money(a.total)} ({t('drg.patientPaid')} {money(a.patientPaid)})
        </dd>
      </dl>
      {d.findings.length ? (
        <>
          <h2>{t('drg.findings')}</h2>
          <ul data-testid="drg-findings">
            {d.findings.map((f, i) => (
              <li key={i} className={f.severity === 'error' ? 'error' : ''}>
                {f.code}: {f.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {g ? (
        <>
          <h2 data-testid="drg-group">
            {g.drg} {g.name}
          </h2>
          {g.reason ? <p className="error">{g.reason.message}</p> : null}
          <ol className="steps" data-testid="drg-steps">
            {g.steps.map((s, i) => (
              <li key={i}>
                <strong>{t(`drg.step.${s.step}`)}</strong> {s.detail} {s.rule ? <small className="muted">({s.rule})</small> : null}
              </li>
            ))}
          </ol>
          <p className="muted">{t('drg.table', { table: g.table })}</p>
        </>
      ) : null}
      {d.payments.length ? (
        <table className="grid" data-testid="drg-payments">
          <thead>
            <tr>
              <th>{t('drg.policy')}</th>
              <th>{t('drg.month')}</th>
              <th className="num">{t('drg.weight')}</th>
              <th className="num">{t('drg.standard')}</th>
              <th>{t('drg.kind')}</th>
              <th className="num">{t('drg.payment')}</th>
              <th className="num">{t('drg.fundPayment')}</th>
              <th className="num">{t('drg.surplus')}</th>
            </tr>
          </thead>
          <tbody>
            {d.payments.map((p) => (
              <tr key={p.policy} title={p.rule}>
                <td>{p.policy}</td>
                <td>{p.month}</td>
                <td className="num">{p.weight === null ? '—' : factor(p.weight)}</td>
                <td className="num">{money(p.standard)}</td>
                <td>{t(`drg.kind.${p.kind}`)}</td>
                <td className="num">{money(p.payment)}</td>
                <td className="num">{money(p.fundPayment)}</td>
                <td className="num">{money(p.surplus)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
