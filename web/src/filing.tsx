/** Out-of-area filings (异地就医备案): the list and the form, for the window (staff) and online (resident). */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Filing } from '../../src/api/responses/types.ts';
import { post } from './api-client.ts';
import { useI18n } from './i18n/index.tsx';
import { ErrorBox, Field } from './ui.tsx';

export type { Filing };

/** `action`: what the reader may do with a filing (the window: cancel an active one). */
export function FilingList({ filings, action }: { filings: Filing[]; action?: (filing: Filing) => ReactNode }) {
  const { t, date } = useI18n();
  if (!filings.length) return <p className="muted">{t('none')}</p>;
  return (
    <ul className="cards" data-testid="filings">
      {filings.map((f) => (
        <li key={f.id} className="card">
          <strong>{f.treatment_place}</strong> · {t(`reason.${f.reason}`)} · {date(f.valid_from)} – {date(f.valid_to)} ·{' '}
          {t(`channel.${f.channel}`)} · <span className={`badge ${f.status}`}>{t(`filingStatus.${f.status}`)}</span>
          {action ? <> {action(f)}</> : null}
        </li>
      ))}
    </ul>
  );
}

/** Today in Beijing time (the server checks filing dates against that day). */
function beijingToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The day before the same day next month (clamped to the month's end). */
function oneMonthLater(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last)) - 86_400_000).toISOString().slice(0, 10);
}

/** Files for the signed-in resident (online), or for a person at the window (with the channel). */
export function FilingForm({ personId, onDone }: { personId?: number; onDone: () => void }) {
  const withChannel = personId !== undefined;
  const { t } = useI18n();
  const today = beijingToday();
  // Ends a month less a day later: inside every reason's longest period (the server checks the policy's limits).
  const [form, setForm] = useState({ treatmentPlace: '', reason: 'referral', validFrom: today, validTo: oneMonthLater(today), channel: 'window' });
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      const { channel, ...rest } = form;
      await (personId === undefined ? post('/api/v1/me/filings', {}, rest) : post('/api/v1/console/persons/{id}/filings', { id: personId }, { ...rest, channel }));
      setDone(true);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form onSubmit={submit} className="card form-grid" data-testid="filing-form">
      <Field label={t('filing.treatmentPlace')}>
        <input value={form.treatmentPlace} onChange={set('treatmentPlace')} required maxLength={100} />
      </Field>
      <Field label={t('filing.reason')}>
        <select value={form.reason} onChange={set('reason')}>
          {['referral', 'resident_elsewhere', 'work_elsewhere', 'temporary', 'emergency'].map((r) => (
            <option key={r} value={r}>
              {t(`reason.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('filing.validFrom')}>
        <input type="date" value={form.validFrom} onChange={set('validFrom')} required />
      </Field>
      <Field label={t('filing.validTo')}>
        <input type="date" value={form.validTo} onChange={set('validTo')} required />
      </Field>
      {withChannel ? (
        <Field label={t('filing.channel')}>
          <select value={form.channel} onChange={set('channel')}>
            {['window', 'phone'].map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <div>
        <button type="submit" className="primary">
          {t('filing.submit')}
        </button>
        {done ? <span className="ok"> {t('filing.done')}</span> : null}
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
