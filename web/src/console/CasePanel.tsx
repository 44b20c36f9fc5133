/**
 * One monitoring case and its workflow. The server says which steps this staff
 * member may take (`nextActions`, by their permissions); the panel offers
 * exactly those: the visit (核实) with its date, every determination a
 * department can report — including temporary assistance and assistance on
 * application — and the closure. A missing monitoring line is explained, not
 * just refused.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, get, post } from '../api-client.ts';
import { parseYuan } from '../../../src/domain/money.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';

import type { CaseDetail } from '../../../src/api/routes/monitoring-responses.ts';

export type { CaseSummary } from '../../../src/api/routes/monitoring-responses.ts';

/** The workflow steps a page may post. */
type CaseStep =
  | '/api/v1/monitoring/cases/{id}/verification'
  | '/api/v1/monitoring/cases/{id}/determination'
  | '/api/v1/monitoring/cases/{id}/closure'
  | '/api/v1/monitoring/cases/{id}/assistance-applications';

const KINDS = ['not_needed', 'sudden_hardship', 'included', 'temporary_assistance', 'assistance_on_application'] as const;

export function CasePanel({ id, staff, onChange }: { id: number; staff: Staff; onChange: () => void }) {
  const { t, dateTime, money } = useI18n();
  const detail = useLoad(() => get('/api/v1/monitoring/cases/{id}', { id }), [id]);
  const [note, setNote] = useState('');
  const [visitedOn, setVisitedOn] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('not_needed');
  const [reason, setReason] = useState<'income_above_line' | 'other'>('income_above_line');
  const [identity, setIdentity] = useState<'minimum_living' | 'extreme_poverty'>('minimum_living');
  const [amount, setAmount] = useState('');
  const [applicationId, setApplicationId] = useState<number>();
  const [error, setError] = useState<unknown>();
  /** Takes a step of the case workflow, then shows the case as it is now. */
  const step = async (path: CaseStep, body: unknown) => {
    setError(undefined);
    try {
      await post(path, { id }, body);
      detail.reload();
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  if (!detail.data) return <Loading loaded={detail} />;
  const c = detail.data;
  const offers = (action: CaseDetail['nextActions'][number]) => c.nextActions.includes(action);
  const determination = (): unknown => {
    const withNote = note ? { note } : {};
    switch (kind) {
      case 'not_needed':
        return { kind, reason, ...withNote };
      case 'sudden_hardship':
        return { kind, ...withNote };
      case 'included':
        return { kind, identity, ...withNote };
      case 'temporary_assistance':
        return { kind, amount: parseYuan(amount), ...withNote };
      case 'assistance_on_application':
        return { kind, applicationId: applicationId ?? c.applications[0]?.id, ...withNote };
    }
  };
  const determine = async () => {
    let body: unknown;
    try {
      body = determination();
    } catch {
      return setError(new ApiError(400, 'INVALID_AMOUNT', 'amount'));
    }
    await step('/api/v1/monitoring/cases/{id}/determination', body);
  };
  const noLine = error instanceof ApiError && error.code === 'NO_MONITORING_LINE';
  return (
    <div className="card" data-testid="case">
      <h2>
        #{c.id} · {t(`case.status.${c.status}`)}
      </h2>
      {c.status === 'raised' ? <p className="muted">{t('case.waitingPush')}</p> : null}
      <ol className="history" data-testid="case-history">
        {c.history.map((h) => (
          <li key={h.id}>
            {h.at ? dateTime(h.at) : '—'} · <span className="mono">{h.actor}</span> · {t(`case.event.${h.action}`)}{' '}
            {h.from && h.to ? `(${t(`case.status.${h.from}`)} → ${t(`case.status.${h.to}`)})` : ''}
          </li>
        ))}
      </ol>
      {c.nextActions.length === 0 ? <p className="muted" data-testid="no-actions">{t('case.noActions')}</p> : null}
      <form onSubmit={(e: FormEvent) => e.preventDefault()} className="form-grid">
        {c.nextActions.length ? (
          <Field label={t('case.note')}>
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} name="note" />
          </Field>
        ) : null}
        {offers('verify') ? (
          <>
            <Field label={t('case.visitedOn')}>
              <input type="date" value={visitedOn} onChange={(e) => setVisitedOn(e.target.value)} name="visitedOn" />
            </Field>
            <button type="button" disabled={!note} data-testid="case-verify" onClick={() => step('/api/v1/monitoring/cases/{id}/verification', { note, ...(visitedOn ? { visitedOn } : {}) })}>
              {t('case.visit')}
            </button>
          </>
        ) : null}
        {offers('determine') ? (
          <>
            <Field label={t('case.action.determine')}>
              <select value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])} name="kind">
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`case.kind.${k}`)}
                  </option>
                ))}
              </select>
            </Field>
            {kind === 'not_needed' ? (
              <Field label={t('settlement.explain')}>
                <select value={reason} onChange={(e) => setReason(e.target.value as typeof reason)} name="reason">
                  {(['income_above_line', 'other'] as const).map((r) => (
                    <option key={r} value={r}>
                      {t(`case.reason.${r}`)}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            {kind === 'included' ? (
              <Field label={t('case.identity')}>
                <select value={identity} onChange={(e) => setIdentity(e.target.value as typeof identity)} name="identity">
                  {(['minimum_living', 'extreme_poverty'] as const).map((i) => (
                    <option key={i} value={i}>
                      {t(`identity.${i}`)}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            {kind === 'temporary_assistance' ? (
              <Field label={t('case.amount')}>
                <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} name="amount" placeholder="2000.00" />
              </Field>
            ) : null}
            {kind === 'assistance_on_application' ? (
              <Field label={t('case.application')}>
                {c.applications.length ? (
                  <select value={applicationId ?? c.applications[0]!.id} onChange={(e) => setApplicationId(Number(e.target.value))} name="applicationId">
                    {c.applications.map((a) => (
                      <option key={a.id} value={a.id}>
                        {t('case.applicationLine', { id: a.id, due: money(Number(a.due_fen)) })}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="muted" data-testid="no-application">{t('case.noApplication')}</span>
                )}
              </Field>
            ) : null}
            <button type="button" className="primary" data-testid="case-determine" onClick={determine}>
              {t('case.action.determine')}
            </button>
          </>
        ) : null}
        {offers('determine') && staff.permissions.includes('assistance.approve') && kind === 'assistance_on_application' ? (
          <button type="button" data-testid="case-approve-application" onClick={() => step('/api/v1/monitoring/cases/{id}/assistance-applications', {})}>
            {t('case.approveApplication')}
          </button>
        ) : null}
        {offers('close') ? (
          <button type="button" disabled={!note} data-testid="case-close" onClick={() => step('/api/v1/monitoring/cases/{id}/closure', { note })}>
            {t('case.action.close')}
          </button>
        ) : null}
      </form>
      {noLine ? (
        <p className="warn" data-testid="no-line-hint">
          {t('case.noLineHint')}
        </p>
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}
