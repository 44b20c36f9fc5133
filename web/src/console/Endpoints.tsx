/**
 * Departments' push endpoints (bureau admin): where each department's pushes
 * go. The secret is write-only — typed here, never shown back; an address on
 * this machine or a private network needs "allow private network" ticked.
 */
import { useState, type FormEvent } from 'react';
import { get, put } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, useLoad } from '../ui.tsx';

const DEPARTMENTS = ['civil_affairs', 'rural_revitalization', 'county_bureau', 'disabled_federation', 'veterans_affairs'] as const;

export function EndpointsPanel() {
  const { t } = useI18n();
  const list = useLoad(() => get('/api/v1/monitoring/endpoints', {}), []);
  const [form, setForm] = useState({ department: 'civil_affairs', url: '', secret: '', active: true, allowPrivateNetwork: false });
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      const { department, ...body } = form;
      await put('/api/v1/monitoring/endpoints/{department}', { department }, body);
      setForm({ ...form, secret: '' }); // never kept on the page
      setSaved(true);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="card" data-testid="endpoints">
      <h2>{t('endpoints.title')}</h2>
      {list.data?.endpoints.length ? (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('monitoring.departments')}</th>
              <th>{t('endpoints.url')}</th>
              <th>{t('endpoints.secret')}</th>
              <th>{t('endpoints.allowPrivate')}</th>
              <th>{t('endpoints.active')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.endpoints.map((e) => (
              <tr key={e.department}>
                <td>{t(`department.${e.department}`)}</td>
                <td className="mono">{e.url}</td>
                <td>{e.secretSet ? t('endpoints.secretSet') : '—'}</td>
                <td>{e.allowPrivateNetwork ? '✓' : '—'}</td>
                <td>{e.active ? '✓' : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('none')}</p>
      )}
      <form onSubmit={submit} className="form-grid" data-testid="endpoint-form">
        <Field label={t('monitoring.departments')}>
          <select value={form.department} onChange={(e) => setForm({ ...form, department: e.target.value })}>
            {DEPARTMENTS.map((d) => (
              <option key={d} value={d}>
                {t(`department.${d}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('endpoints.url')}>
          <input name="url" type="url" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} required maxLength={500} />
        </Field>
        <Field label={t('endpoints.secret')}>
          <input name="secret" type="password" autoComplete="new-password" value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} required minLength={16} maxLength={200} />
        </Field>
        <label className="field">
          <span>{t('endpoints.allowPrivate')}</span>
          <input name="allowPrivateNetwork" type="checkbox" checked={form.allowPrivateNetwork} onChange={(e) => setForm({ ...form, allowPrivateNetwork: e.target.checked })} />
        </label>
        <label className="field">
          <span>{t('endpoints.active')}</span>
          <input name="active" type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} />
        </label>
        <div>
          <button type="submit" className="primary">
            {t('endpoints.save')}
          </button>
          {saved ? <span className="ok" data-testid="endpoint-saved"> {t('endpoints.saved')}</span> : null}
        </div>
      </form>
      <p className="muted small">{t('endpoints.note')}</p>
      <ErrorBox error={error} />
    </div>
  );
}
