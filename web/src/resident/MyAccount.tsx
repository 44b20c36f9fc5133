/**
 * The personal account on the resident's page (issue 13): an employee sees the
 * balance and this year's movements; anyone sees whose accounts pay for them
 * (家庭共济). Shown only when there is something to show.
 */
import { get } from '../api-client.ts';
import { StatementTable } from '../console/Account.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useLoad } from '../ui.tsx';

export function MyAccount() {
  const { t, money } = useI18n();
  const account = useLoad(() => get('/api/v1/me/account', {}), []);
  const a = account.data;
  if (!a || (!a.hasAccount && a.sharedBy.length === 0)) return null;
  return (
    <section className="card" data-testid="my-account">
      <h2>{t('account.title')}</h2>
      {a.hasAccount ? (
        <p className="lead">
          {t('account.balance')}: <span className="huge" data-testid="my-balance">{money(a.balance)}</span>
        </p>
      ) : null}
      {a.sharedBy.length ? (
        <p data-testid="shared-by">
          {t('account.sharedBy', { names: a.sharedBy.map((s) => `${s.maskedName} (${t(`account.relation.${s.relation}`)})`).join(t('account.listSeparator')) })}
        </p>
      ) : null}
      {a.statement ? (
        <details>
          <summary>{t('account.statement', { year: a.statement.year })}</summary>
          <StatementTable statement={a.statement} />
        </details>
      ) : null}
    </section>
  );
}
