/** The first set-up (the county's first administrator, with the token the service printed) and the forced password change. */
import { useState, type FormEvent } from 'react';
import { post } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field } from '../ui.tsx';

export function FirstSetup({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ token: '', username: '', displayName: '', password: '', divisionCode: '', countyName: '' });
  const [error, setError] = useState<unknown>();
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const { countyName, ...rest } = form;
      await post('/api/v1/staff/setup', {}, { ...rest, token: rest.token.trim(), ...(countyName.trim() ? { countyName: countyName.trim() } : {}) });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <main className="signin">
      <form onSubmit={submit} className="card" data-testid="first-setup">
        <h1>{t('setup.title')}</h1>
        <p className="muted">{t('setup.intro')}</p>
        <Field label={t('setup.token')}>
          <input name="token" value={form.token} onChange={(e) => set('token')(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label={t('setup.countyCode')}>
          <input name="divisionCode" value={form.divisionCode} onChange={(e) => set('divisionCode')(e.target.value)} required inputMode="numeric" />
        </Field>
        <Field label={t('setup.countyName')}>
          <input name="countyName" value={form.countyName} onChange={(e) => set('countyName')(e.target.value)} />
        </Field>
        <Field label={t('username')}>
          <input name="username" value={form.username} onChange={(e) => set('username')(e.target.value)} required autoComplete="username" />
        </Field>
        <Field label={t('staff.displayName')}>
          <input name="displayName" value={form.displayName} onChange={(e) => set('displayName')(e.target.value)} required />
        </Field>
        <Field label={t('password.new')}>
          <input name="password" type="password" value={form.password} onChange={(e) => set('password')(e.target.value)} required autoComplete="new-password" />
        </Field>
        <p className="muted small">{t('password.rules')}</p>
        <button type="submit" className="primary">
          {t('setup.create')}
        </button>
        <ErrorBox error={error} />
      </form>
    </main>
  );
}

export function ChangePassword({ onDone, forced }: { onDone: () => void; forced: boolean }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (next !== repeat) {
      setError(new Error(t('password.mismatch')));
      return;
    }
    try {
      await post('/api/v1/staff/password', {}, { currentPassword: current, newPassword: next });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <main className="signin">
      <form onSubmit={submit} className="card" data-testid="change-password">
        <h1>{t('password.change')}</h1>
        {forced ? <p>{t('password.mustChange')}</p> : null}
        <Field label={t('password.current')}>
          <input name="currentPassword" type="password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoComplete="current-password" />
        </Field>
        <Field label={t('password.new')}>
          <input name="newPassword" type="password" value={next} onChange={(e) => setNext(e.target.value)} required autoComplete="new-password" />
        </Field>
        <Field label={t('password.repeat')}>
          <input name="repeatPassword" type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required autoComplete="new-password" />
        </Field>
        <p className="muted small">{t('password.rules')}</p>
        <button type="submit" className="primary">
          {t('password.change')}
        </button>
        <ErrorBox error={error} />
      </form>
    </main>
  );
}
