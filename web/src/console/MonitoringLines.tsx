/** The monitoring lines (防返贫监测线) by region and year: the bureau admin sets them here, so "no need to monitor" can be determined. */
import { useState, type FormEvent } from 'react';
import { ApiError, get, put } from '../api-client.ts';
import { parseYuan } from '../../../src/domain/money.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';

export function MonitoringLines({ staff, year }: { staff: Staff; year: number }) {
  const { t, money } = useI18n();
  const lines = useLoad(() => get('/api/v1/monitoring/lines', {}), []);
  const [form, setForm] = useState({ region: staff.divisionCode.slice(0, 6), year: String(year), amount: '' });
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    let monitoringLine: number;
    try {
      monitoringLine = parseYuan(form.amount);
    } catch {
      return setError(new ApiError(400, 'INVALID_AMOUNT', 'amount'));
    }
    try {
      await put('/api/v1/monitoring/lines/{regionCode}/{year}', { regionCode: form.region, year: form.year }, { monitoringLine });
      lines.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="card" data-testid="monitoring-lines">
      <h2>{t('lines.title')}</h2>
      <Loading loaded={lines} />
      {lines.data && lines.data.lines.length === 0 ? <p className="muted">{t('lines.none')}</p> : null}
      {lines.data && lines.data.lines.length ? (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('lines.region')}</th>
              <th>{t('year')}</th>
              <th className="num">{t('lines.amount')}</th>
              <th>{t('lines.setBy')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.data.lines.map((l) => (
              <tr key={`${l.region_code}/${l.year}`}>
                <td className="mono">{l.region_code}</td>
                <td>{l.year}</td>
                <td className="num">{money(Number(l.line_fen))}</td>
                <td className="mono">{l.set_by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {staff.role === 'bureau_admin' ? (
        <form onSubmit={submit} className="form-grid" data-testid="line-form">
          <Field label={t('lines.region')}>
            <input value={form.region} onChange={(e) => setForm({ ...form, region: e.target.value })} name="region" maxLength={12} required />
          </Field>
          <Field label={t('year')}>
            <input value={form.year} onChange={(e) => setForm({ ...form, year: e.target.value })} name="year" inputMode="numeric" maxLength={4} required />
          </Field>
          <Field label={t('lines.amount')}>
            <input value={form.amount} onChange={(e) => setForm({ ...form, amount: e.target.value })} name="line" inputMode="decimal" placeholder="7000.00" required />
          </Field>
          <button type="submit" className="primary">
            {t('lines.set')}
          </button>
        </form>
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}
