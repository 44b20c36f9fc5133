/** Chronic and special diseases (门诊慢特病): applications with their documents, the bureau's review, approvals, renewal and revocation. */
import { useState, type FormEvent } from 'react';
import { get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Link, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';

type Application = Answer<'GET', '/api/v1/chronic/applications'>['items'][number];

type Approval = Answer<'GET', '/api/v1/chronic/approvals'>['items'][number];

export function ChronicPage({ staff }: { staff: Staff }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('submitted');
  const applications = useLoad(() => get('/api/v1/chronic/applications', {}, { limit: 100, status }), [status]);
  const approvals = useLoad(() => get('/api/v1/chronic/approvals', {}, { limit: 100 }), [applications.data]);
  const canApprove = staff.permissions.includes('chronic.approve');
  return (
    <section>
      <h1>{t('nav.chronic')}</h1>
      {staff.permissions.includes('chronic.write') ? <NewApplication onDone={applications.reload} /> : null}
      <h2>{t('chronic.applications')}</h2>
      <div className="searchbar">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('status')}>
          <option value="">{t('status')}: *</option>
          {['submitted', 'approved', 'rejected'].map((s) => (
            <option key={s} value={s}>
              {t(`chronic.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <Loading loaded={applications} />
      {applications.data ? (
        <table className="grid" data-testid="chronic-applications">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('settlement.person')}</th>
              <th>{t('chronic.disease')}</th>
              <th>{t('chronic.diagnosis')}</th>
              <th>{t('chronic.documents')}</th>
              <th>{t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {applications.data.items.map((a) => (
              <tr key={a.id}>
                <td>{a.id}</td>
                <td>
                  <Link to={`/console/persons/${a.personId}`}>{a.personId}</Link>
                </td>
                <td>
                  {a.disease.name} <span className="mono muted">{a.disease.code}</span>
                </td>
                <td className="mono">{a.diagnosis}</td>
                <td>{a.documents.map((d) => d.fileName).join(', ') || t('none')}</td>
                <td>{a.status === 'submitted' && canApprove ? <Review application={a} onDone={applications.reload} /> : t(`chronic.status.${a.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>{t('chronic.approvals')}</h2>
      <Loading loaded={approvals} />
      {approvals.data ? (
        <table className="grid" data-testid="chronic-approvals">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('settlement.person')}</th>
              <th>{t('chronic.disease')}</th>
              <th>{t('chronic.valid')}</th>
              <th>{t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {approvals.data.items.map((v) => (
              <tr key={v.id}>
                <td>{v.id}</td>
                <td>
                  <Link to={`/console/persons/${v.personId}`}>{v.personId}</Link>
                </td>
                <td>
                  {v.disease.name} · {v.disease.class}
                </td>
                <td>
                  {v.validFrom} – {v.validTo}
                </td>
                <td>{v.status === 'active' && canApprove ? <ApprovalActions approval={v} onDone={approvals.reload} /> : t(`chronic.status.${v.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function NewApplication({ onDone }: { onDone: () => void }) {
  const { t, money } = useI18n();
  const [personId, setPersonId] = useState('');
  const [diseaseCode, setDiseaseCode] = useState('');
  const [diagnosis, setDiagnosis] = useState('');
  const [file, setFile] = useState<File>();
  const [error, setError] = useState<unknown>();
  const diseases = useLoad(
    () => (/^\d+$/.test(personId) ? get('/api/v1/chronic/diseases', {}, { personId }) : Promise.resolve({ items: [] })),
    [personId],
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      // Only the document's metadata travels: its name, size and SHA-256 (the file stays with the applicant's records).
      const documents = file ? [{ kind: 'diagnosis_certificate', fileName: file.name, sizeBytes: file.size, sha256: await sha256Hex(file) }] : [];
      await post('/api/v1/chronic/applications', {}, { personId: Number(personId), diseaseCode, diagnosis, documents });
      setDiagnosis('');
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} data-testid="chronic-new">
      <h2>{t('chronic.apply')}</h2>
      <Field label={t('chronic.personId')}>
        <input name="personId" value={personId} onChange={(e) => setPersonId(e.target.value.trim())} required />
      </Field>
      <Field label={t('chronic.disease')}>
        <select name="disease" value={diseaseCode} onChange={(e) => setDiseaseCode(e.target.value)} required>
          <option value="">—</option>
          {diseases.data?.items.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name} ({d.class} · {d.icd10.join(' ')} · {money(d.yearlyLimit)})
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('chronic.diagnosis')}>
        <input name="diagnosis" value={diagnosis} onChange={(e) => setDiagnosis(e.target.value)} placeholder="I10.x00" required />
      </Field>
      <Field label={t('chronic.document')}>
        <input name="document" type="file" onChange={(e) => setFile(e.target.files?.[0])} />
      </Field>
      <button type="submit" className="primary">
        {t('chronic.submit')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function Review({ application, onDone }: { application: Application; onDone: () => void }) {
  const { t } = useI18n();
  const year = new Date().getFullYear();
  const [validFrom, setFrom] = useState(`${year}-01-01`);
  const [validTo, setTo] = useState(`${year}-12-31`);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const decide = async (decision: 'approve' | 'reject') => {
    setError(undefined);
    try {
      await post('/api/v1/chronic/applications/{id}/decision', { id: application.id }, decision === 'approve' ? { decision, validFrom, validTo } : { decision, reason });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="inline-form" data-testid={`chronic-review-${application.id}`}>
      <input type="date" value={validFrom} onChange={(e) => setFrom(e.target.value)} aria-label={t('chronic.validFrom')} />
      <input type="date" value={validTo} onChange={(e) => setTo(e.target.value)} aria-label={t('chronic.validTo')} />
      <button type="button" className="primary" onClick={() => decide('approve')}>
        {t('chronic.approve')}
      </button>
      <input value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t('review.reason')} placeholder={t('review.reason')} />
      <button type="button" onClick={() => decide('reject')}>
        {t('chronic.reject')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

function ApprovalActions({ approval, onDone }: { approval: Approval; onDone: () => void }) {
  const { t } = useI18n();
  const [validTo, setTo] = useState(`${Number(approval.validTo.slice(0, 4)) + 1}-12-31`);
  const [error, setError] = useState<unknown>();
  const act = async (path: 'renewal' | 'revocation', body: unknown) => {
    setError(undefined);
    try {
      await post(path === 'renewal' ? '/api/v1/chronic/approvals/{id}/renewal' : '/api/v1/chronic/approvals/{id}/revocation', { id: approval.id }, body);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="inline-form">
      {t('chronic.status.active')}{' '}
      <input type="date" value={validTo} onChange={(e) => setTo(e.target.value)} aria-label={t('chronic.validTo')} />
      <button type="button" onClick={() => act('renewal', { validTo })}>
        {t('chronic.renew')}
      </button>
      <button type="button" onClick={() => act('revocation', { reason: t('chronic.revoke') })}>
        {t('chronic.revoke')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}
