/** Monitoring cases (one per alert) and their workflow: raised → pushed → verified → determined → closed (the monitoring API of #5). */
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Link, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { DepartmentLists, mayTakeLists } from './DepartmentLists.tsx';
import { EndpointsPanel } from './Endpoints.tsx';

interface Case {
  id: number;
  year: number;
  status: string;
  risk: string;
  departments: string[];
  threshold: { id: string; amount: number };
  yearlySelfPay: number;
  settlementId: number | null;
  person: { id: number; name: string; idNumber: string; divisionCode: string };
  determination: { kind: string; department: string | null } | null;
  nextActions: string[];
  raisedAt: string;
}

interface CaseDetail extends Case {
  history: { id: number; at: string; actor: string; action: string; from: string | null; to: string | null }[];
}

export function MonitoringPage({ staff }: { staff: Staff }) {
  const { t, money, dateTime, list: joinList } = useI18n();
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<number>();
  const list = useLoad(() => api<{ total: number; items: Case[] }>('GET', `/api/v1/monitoring/cases?limit=100${status ? `&status=${status}` : ''}`), [status]);
  return (
    <section>
      <h1>{t('nav.monitoring')}</h1>
      <div className="searchbar">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('status')}>
          <option value="">{t('status')}: *</option>
          {['raised', 'pushed', 'verified', 'determined', 'closed'].map((s) => (
            <option key={s} value={s}>
              {t(`case.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <Loading loaded={list} />
      {list.data ? (
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
                <td>{dateTime(c.raisedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {mayTakeLists(staff) ? <DepartmentLists staff={staff} onChange={list.reload} /> : null}
      {open ? <CasePanel id={open} staff={staff} onChange={list.reload} /> : null}
      {staff.role === 'bureau_admin' ? <EndpointsPanel /> : null}
    </section>
  );
}

function CasePanel({ id, staff, onChange }: { id: number; staff: Staff; onChange: () => void }) {
  const { t, dateTime } = useI18n();
  const detail = useLoad(() => api<CaseDetail>('GET', `/api/v1/monitoring/cases/${id}`), [id]);
  const [note, setNote] = useState('');
  const [kind, setKind] = useState('not_needed');
  const [error, setError] = useState<unknown>();
  const act = async (path: string, body: unknown) => {
    setError(undefined);
    try {
      await api('POST', `/api/v1/monitoring/cases/${id}/${path}`, body);
      detail.reload();
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  if (!detail.data) return <Loading loaded={detail} />;
  const c = detail.data;
  const submit = (event: FormEvent) => event.preventDefault();
  const determination =
    kind === 'not_needed' ? { kind, reason: 'income_above_line', note } : kind === 'sudden_hardship' ? { kind, note } : { kind: 'included', identity: 'minimum_living', note };
  return (
    <div className="card" data-testid="case">
      <h2>
        #{c.id} · {t(`case.status.${c.status}`)}
      </h2>
      {c.status === 'raised' ? <p className="muted">{t('case.waitingPush')}</p> : null}
      <ol className="history">
        {c.history.map((h) => (
          <li key={h.id}>
            {dateTime(h.at)} · <span className="mono">{h.actor}</span> · {t(`case.event.${h.action}`)}{' '}
            {h.from && h.to ? `${t(`case.status.${h.from}`)} → ${t(`case.status.${h.to}`)}` : ''}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} className="form-grid">
        <Field label={t('case.note')}>
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </Field>
        <div className="actions">
          {/* The server lets the bureau (monitoring.write) or a department (case.determine) verify; never the read-only auditor. */}
          {c.nextActions.includes('verify') && (staff.permissions.includes('monitoring.write') || staff.permissions.includes('case.determine')) ? (
            <button type="button" disabled={!note} onClick={() => act('verification', { note })}>
              {t('case.action.verify')}
            </button>
          ) : null}
          {c.nextActions.includes('determine') && staff.permissions.includes('case.determine') ? (
            <>
              <select value={kind} onChange={(e) => setKind(e.target.value)}>
                {['not_needed', 'sudden_hardship', 'included'].map((k) => (
                  <option key={k} value={k}>
                    {t(`case.kind.${k}`)}
                  </option>
                ))}
              </select>
              <button type="button" onClick={() => act('determination', determination)}>
                {t('case.action.determine')}
              </button>
            </>
          ) : null}
          {c.nextActions.includes('close') && staff.permissions.includes('monitoring.write') ? (
            <button type="button" disabled={!note} onClick={() => act('closure', { note })}>
              {t('case.action.close')}
            </button>
          ) : null}
        </div>
      </form>
      <ErrorBox error={error} />
    </div>
  );
}
