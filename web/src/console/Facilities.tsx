/** The bureau admin's designated hospitals and pharmacies: add, change level, disable/enable, rotate the key (shown once). */
import { useState, type FormEvent } from 'react';
import { get, post, put, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Loading, useListAction, useLoad } from '../ui.tsx';
import { ShownOnce } from './StaffAdmin.tsx';

type FacilityRow = Answer<'GET', '/api/v1/console/facilities'>['items'][number];

const KINDS = ['hospital', 'pharmacy', 'clinic'] as const;
const LEVELS = [0, 1, 2, 3] as const;

export function FacilitiesPage() {
  const { t } = useI18n();
  const list = useLoad(() => get('/api/v1/console/facilities', {}), []);
  const [key, setKey] = useState<{ code: string; apiKey: string }>();
  const { error, act } = useListAction(list.reload, () => setKey(undefined));
  const setLevel = (f: FacilityRow, level: number) => act(async () => void (await put('/api/v1/console/facilities/{code}/level', { code: f.code }, { level })));
  const toggle = (f: FacilityRow) => act(async () => void (await post(f.active ? '/api/v1/console/facilities/{code}/disable' : '/api/v1/console/facilities/{code}/enable', { code: f.code })));
  const rotate = (f: FacilityRow) =>
    act(async () => {
      const r = await post('/api/v1/console/facilities/{code}/rotate-key', { code: f.code });
      setKey({ code: f.code, apiKey: r.apiKey });
    });

  return (
    <section>
      <h1>{t('nav.facilities')}</h1>
      <AddFacility onAdded={(code, apiKey) => { setKey({ code, apiKey }); list.reload(); }} />
      {key ? <ShownOnce label={t('facility.newKey', { code: key.code })} secret={key.apiKey} testId="api-key" /> : null}
      <ErrorBox error={error} />
      <Loading loaded={list} />
      {list.data ? (
        <table className="grid" data-testid="facilities">
          <thead>
            <tr>
              <th>{t('facility.code')}</th>
              <th>{t('facility.name')}</th>
              <th>{t('facility.kind')}</th>
              <th>{t('facility.level')}</th>
              <th>{t('staff.division')}</th>
              <th>{t('staff.state')}</th>
              <th>{t('facility.keyPrefix')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((f) => (
              <tr key={f.code} data-code={f.code}>
                <td className="mono">{f.code}</td>
                <td>
                  {f.name}
                  <input
                    lang="bo"
                    className="name-bo"
                    defaultValue={f.nameBo ?? ''}
                    placeholder={t('facility.nameBo')}
                    aria-label={`${f.code} ${t('facility.nameBo')}`}
                    data-testid="name-bo"
                    onBlur={(e) => {
                      const value = e.target.value.trim();
                      if (value !== (f.nameBo ?? '')) void act(() => put('/api/v1/console/facilities/{code}/name-bo', { code: f.code }, { nameBo: value || null }).then(list.reload));
                    }}
                  />
                </td>
                <td>{t(`facility.kind.${f.kind}`)}</td>
                <td>
                  <select value={f.level} onChange={(e) => setLevel(f, Number(e.target.value))} aria-label={`${f.code} ${t('facility.setLevel')}`} data-testid="level">
                    {LEVELS.map((l) => (
                      <option key={l} value={l}>
                        {l}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="mono">{f.divisionCode}</td>
                <td data-testid="state">{f.active ? t('facility.active') : t('facility.disabled')}</td>
                <td className="mono">{f.keyPrefix ? `${f.keyPrefix}…` : '—'}</td>
                <td>
                  <div className="actions">
                    <button type="button" onClick={() => toggle(f)} data-testid="toggle">
                      {f.active ? t('staff.disable') : t('staff.enable')}
                    </button>
                    <button type="button" onClick={() => rotate(f)} data-testid="rotate">
                      {t('facility.rotateKey')}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function AddFacility({ onAdded }: { onAdded: (code: string, apiKey: string) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ code: '', name: '', kind: 'hospital', level: '1', divisionCode: '' });
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const r = await post('/api/v1/console/facilities', {}, { ...form, level: Number(form.level) });
      setForm({ ...form, code: '', name: '' });
      onAdded(r.facility.code, r.apiKey);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card form-grid" onSubmit={submit} data-testid="add-facility">
      <h2>{t('facility.add')}</h2>
      <Field label={t('facility.code')}>
        <input name="code" value={form.code} onChange={(e) => set('code')(e.target.value.toUpperCase())} placeholder="H51333000001" pattern="H[0-9]{11}" required />
      </Field>
      <Field label={t('facility.name')}>
        <input name="name" value={form.name} onChange={(e) => set('name')(e.target.value)} required />
      </Field>
      <Field label={t('facility.kind')}>
        <select name="kind" value={form.kind} onChange={(e) => set('kind')(e.target.value)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`facility.kind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('facility.level')}>
        <select name="level" value={form.level} onChange={(e) => set('level')(e.target.value)}>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('staff.division')}>
        <input name="divisionCode" value={form.divisionCode} onChange={(e) => set('divisionCode')(e.target.value)} required inputMode="numeric" />
      </Field>
      <button type="submit" className="primary">
        {t('facility.add')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}
