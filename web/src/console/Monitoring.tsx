/** Monitoring cases (one per alert): the real total with paging, filters by status and year, and each case's workflow (the monitoring API of #5). */
import { useEffect, useState } from 'react';
import { get } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link, Loading, useLoad } from '../ui.tsx';
import { CasePanel } from './CasePanel.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { DepartmentLists, mayTakeLists } from './DepartmentLists.tsx';
import { EndpointsPanel } from './Endpoints.tsx';
import { ExportLinks, Pager, YearSelect } from './list-tools.tsx';
import { MonitoringLines } from './MonitoringLines.tsx';
import { defaultYear } from './year.ts';

const PAGE = 50;
const STATUSES = ['raised', 'pushed', 'verified', 'determined', 'closed'] as const;

export function MonitoringPage({ staff }: { staff: Staff }) {
  const { t, money, dateTime, list: joinList } = useI18n();
  const [status, setStatus] = useState('');
  const [year, setYear] = useState<number>();
  const [latest, setLatest] = useState<number>();
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<number>();
  useEffect(() => void defaultYear().then(setLatest), []);
  const list = useLoad(() => get('/api/v1/monitoring/cases', {}, { limit: PAGE, offset, status: status || undefined, year }), [offset, status, year]);
  const years = latest ? Array.from({ length: 5 }, (_, i) => latest - i) : [];
  const filter = (apply: () => void) => {
    apply();
    setOffset(0);
  };
  return (
    <section>
      <h1>{t('nav.monitoring')}</h1>
      <div className="searchbar">
        <select value={status} onChange={(e) => filter(() => setStatus(e.target.value))} aria-label={t('status')} data-testid="case-status">
          <option value="">{t('status')}: {t('list.all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`case.status.${s}`)}
            </option>
          ))}
        </select>
        <YearSelect value={year} years={years} allowAll onChange={(y) => filter(() => setYear(y))} />
        <ExportLinks url={`/api/v1/monitoring/cases?${new URLSearchParams({ ...(status ? { status } : {}), ...(year ? { year: String(year) } : {}) })}`} />
      </div>
      <Loading loaded={list} />
      {list.data ? (
        <>
          <Pager total={list.data.total} offset={offset} limit={PAGE} onOffset={setOffset} />
          <table className="grid" data-testid="cases">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('settlement.person')}</th>
                <th>{t('monitoring.threshold')}</th>
                <th className="num">{t('monitoring.yearlySelfPay')}</th>
                <th>{t('monitoring.departments')}</th>
                <th>{t('status')}</th>
                <th>{t('date')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id} className={open === c.id ? 'selected' : ''}>
                  <td>
                    <a href="#" onClick={(e) => (e.preventDefault(), setOpen(open === c.id ? undefined : c.id))}>
                      {c.id}
                    </a>
                  </td>
                  <td>
                    <Link to={`/console/persons/${c.person.id}`}>{c.person.name}</Link> <span className="mono muted">{c.person.idNumber}</span>
                  </td>
                  <td>
                    {t(`monitoring.risk.${c.risk}`)} · {money(c.threshold.amount)}
                  </td>
                  <td className="num">{money(c.yearlySelfPay)}</td>
                  <td>{joinList(c.departments.map((d) => t(`department.${d}`)))}</td>
                  <td>
                    <span className={`badge ${c.status}`}>{t(`case.status.${c.status}`)}</span>
                  </td>
                  <td>{c.raisedAt ? dateTime(c.raisedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {mayTakeLists(staff) ? <DepartmentLists staff={staff} onChange={list.reload} /> : null}
      {open ? <CasePanel id={open} staff={staff} onChange={list.reload} /> : null}
      {staff.permissions.includes('monitoring.write') && latest ? <MonitoringLines staff={staff} year={year ?? latest} /> : null}
      {staff.role === 'bureau_admin' ? <EndpointsPanel /> : null}
    </section>
  );
}
