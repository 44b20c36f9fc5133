/** The staff console: sign-in, navigation by permission, the pages. The server decides; the menu only mirrors it. */
import { CollectionWindowPage } from './CollectionWindow.tsx';
import { useState, type FormEvent } from 'react';
import { get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, LanguageSwitch, LargeTypeToggle, Link, navigate, useLoad, usePath } from '../ui.tsx';
import { AuditPage, DelegationsPage } from './Admin.tsx';
import { FacilitiesPage } from './Facilities.tsx';
import { ChangePassword, FirstSetup } from './FirstRun.tsx';
import { StaffAdminPage } from './StaffAdmin.tsx';
import { EnrollmentPage } from './Enrollment.tsx';
import { HouseholdPage } from './Household.tsx';
import { MonitoringPage } from './Monitoring.tsx';
import { PersonPage, PersonsPage } from './Persons.tsx';
import { RegisterPage } from './Register.tsx';
import { ReportsPage } from './Reports.tsx';
import { DrgPage } from './DrgReports.tsx';
import { DrgDischargePage } from './DrgDischarge.tsx';
import { SettlementPage, SettlementsPage } from './Settlements.tsx';
import { CataloguePage } from './Catalogue.tsx';
import { ChronicPage } from './Chronic.tsx';
import { ReviewPage } from './Review.tsx';
import { NationalInterfacePage } from './NationalInterface.tsx';
import { AccountPage, AccountsPage } from './Account.tsx';
import { OutOfAreaPage } from './OutOfArea.tsx';
import { FundPage } from './Fund.tsx';
import { YearsPage } from './Years.tsx';

/** The signed-in staff member, with the permissions of the role (the API's answer). */
export type Staff = Answer<'GET', '/api/v1/staff/me'>;

const NAV = [
  { path: '/console/persons', key: 'nav.persons', permission: 'person.read' },
  { path: '/console/register', key: 'nav.register', permission: 'person.write' },
  { path: '/console/enrollment', key: 'nav.enrollment', permission: 'enrollment.read' },
  { path: '/console/window', key: 'nav.window', permission: 'payment.write' },
  { path: '/console/settlements', key: 'nav.settlements', permission: 'settlement.read' },
  { path: '/console/monitoring', key: 'nav.monitoring', permission: 'monitoring.read' },
  { path: '/console/chronic', key: 'nav.chronic', permission: 'chronic.write' },
  { path: '/console/review', key: 'nav.review', permission: 'review.read' },
  { path: '/console/catalogue', key: 'nav.catalogue', permission: 'settlement.read' },
  { path: '/console/reports', key: 'nav.reports', permission: 'reports.read' },
  { path: '/console/out-of-area', key: 'nav.outOfArea', permission: 'reports.read' },
  { path: '/console/accounts', key: 'nav.accounts', permission: 'payment.write' },
  { path: '/console/drg', key: 'nav.drg', permission: 'reports.read' },
  { path: '/console/fsi', key: 'nav.fsi', permission: 'settlement.read' },
  { path: '/console/fund', key: 'nav.fund', permission: 'reports.read' },
  { path: '/console/audit', key: 'nav.audit', permission: 'audit.read' },
  { path: '/console/delegations', key: 'nav.delegations', permission: 'staff.admin' },
  { path: '/console/staff', key: 'nav.staff', permission: 'staff.admin' },
  { path: '/console/facilities', key: 'nav.facilities', permission: 'staff.admin' },
  { path: '/console/years', key: 'nav.years', permission: 'staff.admin' },
] as const;

export function ConsoleApp() {
  const { t } = useI18n();
  const path = usePath();
  const me = useLoad(() => get('/api/v1/staff/me', {}).catch(() => null), []);
  const staff = me.data;

  const signOut = async () => {
    await post('/api/v1/staff/logout', {});
    me.reload();
  };

  return (
    <div className="app console">
      <header className="topbar">
        <Link to="/console/persons" className="brand">
          {t('app.title')} <small>{t('app.console')}</small>
        </Link>
        <div className="topbar-tools">
          <LanguageSwitch />
          <LargeTypeToggle />
          {staff ? (
            <>
              <span className="who" data-testid="who">
                {staff.username} · {t(`role.${staff.role}`)} · {staff.divisionCode}
              </span>
              <button type="button" onClick={signOut}>
                {t('signOut')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      {me.loading && me.data === undefined ? null : staff?.mustChangePassword ? (
        <ChangePassword forced onDone={me.reload} />
      ) : staff ? (
        <div className="layout">
          <nav className="sidenav">
            {NAV.filter((n) => staff.permissions.includes(n.permission)).map((n) => (
              <Link key={n.path} to={n.path} className={path.startsWith(n.path) || (n.path === '/console/persons' && path.startsWith('/console/households')) ? 'active' : ''}>
                {t(n.key)}
              </Link>
            ))}
          </nav>
          <main className="content">
            <Page path={path} staff={staff} />
          </main>
        </div>
      ) : (
        <SignIn onDone={me.reload} />
      )}
    </div>
  );
}

function Page({ path, staff }: { path: string; staff: Staff }) {
  const account = /^\/console\/persons\/(\d+)\/account/.exec(path);
  if (account) return <AccountPage id={Number(account[1])} staff={staff} />;
  if (path.startsWith('/console/accounts')) return <AccountsPage />;
  if (path.startsWith('/console/out-of-area')) return <OutOfAreaPage staff={staff} />;
  const person = /^\/console\/persons\/(\d+)/.exec(path);
  if (person) return <PersonPage id={Number(person[1])} staff={staff} />;
  const household = /^\/console\/households\/([^/]+)/.exec(path);
  if (household) return <HouseholdPage code={decodeURIComponent(household[1]!)} staff={staff} />;
  const settlement = /^\/console\/settlements\/(\d+)/.exec(path);
  if (settlement) return <SettlementPage id={Number(settlement[1])} staff={staff} />;
  if (path.startsWith('/console/settlements')) return <SettlementsPage />;
  if (path.startsWith('/console/register')) return <RegisterPage staff={staff} />;
  if (path.startsWith('/console/enrollment')) return <EnrollmentPage staff={staff} />;
  if (path.startsWith('/console/window')) return <CollectionWindowPage staff={staff} />;
  if (path.startsWith('/console/monitoring')) return <MonitoringPage staff={staff} />;
  if (path.startsWith('/console/reports')) return <ReportsPage />;
  const drgDischarge = /^\/console\/drg\/discharges\/(\d+)/.exec(path);
  if (drgDischarge) return <DrgDischargePage id={Number(drgDischarge[1])} />;
  if (path.startsWith('/console/drg')) return <DrgPage />;
  if (path.startsWith('/console/fund')) return <FundPage staff={staff} />;
  if (path.startsWith('/console/audit')) return <AuditPage />;
  if (path.startsWith('/console/chronic')) return <ChronicPage staff={staff} />;
  if (path.startsWith('/console/review')) return <ReviewPage staff={staff} />;
  if (path.startsWith('/console/catalogue')) return <CataloguePage />;
  if (path.startsWith('/console/delegations')) return <DelegationsPage />;
  if (path.startsWith('/console/staff')) return <StaffAdminPage />;
  if (path.startsWith('/console/facilities')) return <FacilitiesPage />;
  if (path.startsWith('/console/years')) return <YearsPage />;
  if (path.startsWith('/console/fsi')) return <NationalInterfacePage />;
  return <PersonsPage />;
}

function SignIn({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const setup = useLoad(() => get('/api/v1/staff/setup', {}).catch(() => ({ needed: false })), []);
  const [settingUp, setSettingUp] = useState(false);
  const [setUpDone, setSetUpDone] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await post('/api/v1/staff/login', {}, { username, password });
      if (!location.pathname.startsWith('/console/')) navigate('/console/persons');
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  if (settingUp) {
    return (
      <FirstSetup
        onDone={() => {
          setSettingUp(false);
          setSetUpDone(true);
          setup.reload();
        }}
      />
    );
  }
  return (
    <main className="signin">
      <form onSubmit={submit} className="card" data-testid="staff-signin">
        <h1>{t('app.console')}</h1>
        {setUpDone ? <p className="ok">{t('setup.done')}</p> : null}
        <Field label={t('username')}>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </Field>
        <Field label={t('password')}>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <button type="submit" className="primary">
          {t('signIn')}
        </button>
        <ErrorBox error={error} />
        {setup.data?.needed ? (
          <p>
            <button type="button" onClick={() => setSettingUp(true)} data-testid="first-setup-link">
              {t('setup.title')}
            </button>
          </p>
        ) : null}
      </form>
    </main>
  );
}
