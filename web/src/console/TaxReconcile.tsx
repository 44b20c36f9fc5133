/** The tax bureau's collection file at the window: import it (preview first), then see it against Sanbao's payments. */
import { useState, type FormEvent } from 'react';
import { ApiError, get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field } from '../ui.tsx';
import { useDefaultYear } from './year.ts';

type TaxImport = Answer<'POST', '/api/v1/tax-collections'>;

type Reconciliation = Answer<'GET', '/api/v1/tax-collections/reconciliation'>;

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function TaxReconcilePanel({ divisionCode }: { divisionCode: string }) {
  const { t, money } = useI18n();
  const [year] = useDefaultYear();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<TaxImport | null>(null);
  const [report, setReport] = useState<Reconciliation | null>(null);
  const [problems, setProblems] = useState<{ row: number; reason: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  async function upload(dryRun: boolean) {
    if (!file) return;
    setError(null);
    setProblems([]);
    try {
      setResult(await post('/api/v1/tax-collections', {}, { fileName: file.name, contentBase64: await base64Of(file), dryRun }));
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setProblems(((e.body as { problems?: { row: number; reason: string }[] })?.problems) ?? []);
    }
  }
  async function reconcile() {
    setError(null);
    try {
      setReport(await get('/api/v1/tax-collections/reconciliation', {}, { year, division: divisionCode }));
    } catch (e) {
      setError(e);
    }
  }
  const onPreview = (e: FormEvent) => (e.preventDefault(), void upload(true));
  return (
    <section className="panel" data-testid="tax-reconcile">
      <h2>{t('window.reconcile')} · {year}</h2>
      <form onSubmit={onPreview} className="form-grid">
        <Field label={t('window.roster.file')}>
          <input name="taxFile" type="file" accept=".csv,.xlsx" onChange={(e) => (setFile(e.target.files?.[0] ?? null), setResult(null))} required />
        </Field>
        <button type="submit">{t('window.roster.preview')}</button>
        {result?.dryRun ? <button type="button" name="confirmTax" onClick={() => void upload(false)}>{t('window.roster.confirm')}</button> : null}
        <button type="button" name="reconcile" onClick={() => void reconcile()}>{t('window.reconcile')}</button>
      </form>
      <ErrorBox error={error} />
      {problems.length > 0 ? <ul className="problems">{problems.map((p) => <li key={p.row}>{`row ${p.row}: ${p.reason}`}</li>)}</ul> : null}
      {result ? <p data-testid="tax-result">{`${result.rowsTotal} · +${result.imported} · =${result.alreadyImported} · ${money(result.amount)}`}</p> : null}
      {report ? (
        <div data-testid="tax-report">
          <p>
            {t('window.reconcile.counts', { matched: report.counts.matched, onlyTax: report.counts.only_in_tax, onlySanbao: report.counts.only_in_sanbao, differs: report.counts.amount_differs })}
          </p>
          <table className="grid">
            <tbody>
              {report.lines.slice(0, 200).map((l, i) => (
                <tr key={i}>
                  <td>{t(`reconcile.${l.status}`)}</td>
                  <td className="mono">{l.idNumber}</td>
                  <td>{l.divisionCode ?? '—'}</td>
                  <td className="num">{l.tax === null ? '—' : money(l.tax)}</td>
                  <td className="num">{l.sanbao === null ? '—' : money(l.sanbao)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
