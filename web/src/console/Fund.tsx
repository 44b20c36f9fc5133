/** The fund (issue 14): reports, reconciliation and clearing, assistance payouts — one page with tabs, each shown by permission. */
import { useI18n } from '../i18n/index.tsx';
import { Link, usePath } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { ClearingTab, ReconciliationTab } from './FundClearing.tsx';
import { PayoutsTab } from './FundPayouts.tsx';
import { FundReportTab } from './FundReports.tsx';

const TABS = [
  { id: 'report', key: 'fund.tab.report', permission: 'reports.read' },
  { id: 'reconciliation', key: 'fund.tab.reconciliation', permission: 'reports.read' },
  { id: 'clearing', key: 'fund.tab.clearing', permission: 'reports.read' },
  { id: 'payouts', key: 'fund.tab.payouts', permission: 'payout.manage' },
] as const;

export function FundPage({ staff }: { staff: Staff }) {
  const { t } = useI18n();
  const path = usePath();
  const tabs = TABS.filter((x) => staff.permissions.includes(x.permission));
  const current = tabs.find((x) => path.startsWith(`/console/fund/${x.id}`)) ?? tabs[0];
  return (
    <section>
      <h1>{t('nav.fund')}</h1>
      <nav className="tabs" data-testid="fund-tabs">
        {tabs.map((x) => (
          <Link key={x.id} to={`/console/fund/${x.id}`} className={x.id === current?.id ? 'active' : ''}>
            {t(x.key)}
          </Link>
        ))}
      </nav>
      {current?.id === 'report' ? <FundReportTab /> : null}
      {current?.id === 'reconciliation' ? <ReconciliationTab staff={staff} /> : null}
      {current?.id === 'clearing' ? <ClearingTab staff={staff} /> : null}
      {current?.id === 'payouts' ? <PayoutsTab /> : null}
    </section>
  );
}
