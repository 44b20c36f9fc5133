/**
 * Out-of-area treatment both ways (issue 13), like the Lhasa report's figures:
 * as insured place (our people treated elsewhere) and as treatment place
 * (other regions' people treated in our hospitals), by the other place; and
 * the import of the inter-provincial clearing list, each bad row shown.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { useDefaultYear } from './year.ts';

type Direction = Answer<'GET', '/api/v1/console/reports/out-of-area'>['asInsuredPlace'];
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function DirectionTable({ title, d, testId }: { title: string; d: Direction; testId: string }) {
  const { t, money, num } = useI18n();
  return (
    <div className="card" data-testid={testId}>
      <h2>{title}</h2>
      <dl className="summary">
        <dt>{t('ooa.settlements')}</dt>
        <dd data-testid={`${testId}-count`}>{num(d.settlements)}</dd>
        <dt>{t('ooa.total')}</dt>
        <dd data-testid={`${testId}-total`}>{money(d.total)}</dd>
        <dt>{t('ooa.fund')}</dt>
        <dd>{money(d.fund)}</dd>
        <dt>{t('ooa.filed')}</dt>
        <dd>{num(d.filed)}</dd>
      </dl>
      {d.byPlace.length ? (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('ooa.place')}</th>
              <th className="num">{t('ooa.settlements')}</th>
              <th className="num">{t('ooa.direct')}</th>
              <th className="num">{t('ooa.clearing')}</th>
              <th className="num">{t('ooa.total')}</th>
              <th className="num">{t('ooa.fund')}</th>
            </tr>
          </thead>
          <tbody>
            {d.byPlace.map((p) => (
              <tr key={p.place}>
                <td>
                  <span className="mono">{p.place}</span> {p.name ?? ''} {p.province && p.province !== p.name ? <small className="muted">{p.province}</small> : null}
                </td>
                <td className="num">{num(p.settlements)}</td>
                <td className="num">{num(p.direct)}</td>
                <td className="num">{num(p.clearing)}</td>
                <td className="num">{money(p.total)}</td>
                <td className="num">{money(p.fund)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('none')}</p>
      )}
    </div>
  );
}

export function OutOfAreaPage({ staff }: { staff: Staff }) {
  const { t } = useI18n();
  const [year, setYear] = useDefaultYear();
  const report = useLoad(() => (year ? get('/api/v1/console/reports/out-of-area', {}, { year }) : new Promise<never>(() => undefined)), [year]);
  const [file, setFile] = useState<File>();
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<{ row: number; field: string; reason: string }[]>([]);
  const [imported, setImported] = useState<Answer<'POST', '/api/v1/console/clearing-imports'>>();
  const upload = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setError(undefined);
    setProblems([]);
    setImported(undefined);
    try {
      setImported(await post('/api/v1/console/clearing-imports', {}, { fileName: file.name, contentBase64: await base64Of(file), skipBadRows }));
      report.reload();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && Array.isArray((e.body as { problems?: unknown } | undefined)?.problems)) setProblems((e.body as { problems: typeof problems }).problems);
    }
  };
  const canImport = staff.permissions.includes('payment.write') && (staff.role === 'bureau_admin' || staff.role === 'bureau_clerk');
  return (
    <section data-testid="out-of-area">
      <h1>{t('nav.outOfArea')}</h1>
      <p>
        <label>
          {t('year')}{' '}
          <input type="number" value={year ?? ''} min={2000} max={2100} onChange={(e) => setYear(Number(e.target.value))} data-testid="ooa-year" />
        </label>
        {report.data ? <span className="muted"> · {t('ooa.region', { region: report.data.region })}</span> : null}
        {report.data ? (
          <>
            {' · '}
            <a href={`/api/v1/console/reports/out-of-area?year=${report.data.year}&format=xlsx`} data-testid="ooa-export-xlsx">XLSX</a>{' · '}
            <a href={`/api/v1/console/reports/out-of-area?year=${report.data.year}&format=csv`} data-testid="ooa-export-csv">CSV</a>
          </>
        ) : null}
      </p>
      {report.data ? (
        <div className="charts">
          <DirectionTable title={t('ooa.asInsuredPlace')} d={report.data.asInsuredPlace} testId="ooa-insured" />
          <DirectionTable title={t('ooa.asTreatmentPlace')} d={report.data.asTreatmentPlace} testId="ooa-treatment" />
        </div>
      ) : (
        <Loading loaded={report} />
      )}
      {canImport ? (
        <form onSubmit={upload} className="card" data-testid="clearing-form">
          <h2>{t('ooa.import')}</h2>
          <p className="muted">{t('ooa.importNote')}</p>
          <Field label={t('ooa.file')}>
            <input type="file" accept=".csv,.xlsx" onChange={(e) => setFile(e.target.files?.[0])} required />
          </Field>
          <label>
            <input type="checkbox" checked={skipBadRows} onChange={(e) => setSkipBadRows(e.target.checked)} /> {t('ooa.skipBadRows')}
          </label>
          <div>
            <button type="submit" className="primary">
              {t('ooa.importButton')}
            </button>
          </div>
          {imported ? (
            <p className="ok" data-testid="clearing-done">
              {imported.alreadyImported ? t('ooa.alreadyImported') : t('ooa.imported', { n: imported.imported, outbound: imported.outbound, inbound: imported.inbound })}
            </p>
          ) : null}
          <ErrorBox error={error} />
          {problems.length ? (
            <ul className="muted" data-testid="clearing-problems">
              {problems.map((p, i) => (
                <li key={i}>{t('ooa.problem', { row: p.row, field: p.field, reason: p.reason })}</li>
              ))}
            </ul>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
