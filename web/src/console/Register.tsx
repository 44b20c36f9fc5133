/**
 * Setting a county up at the console: import its divisions (bureau admin) and
 * its household register — a preview first, listing every bad row, then the
 * import confirmed — and open a new household at the window.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, get, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field, Link, navigate, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { divisionName } from './Persons.tsx';

export type Division = Answer<'GET', '/api/v1/divisions'>['items'][number];

type Problem = Answer<'POST', '/api/v1/divisions/import'>['skipped'][number];
type ImportPath = '/api/v1/divisions/import' | '/api/v1/households/import';

/** The file as base64, read in the browser. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Choose a file, preview it (dry run), see its bad rows or what it would change, then confirm. */
function ImportPanel<P extends ImportPath, R extends Answer<'POST', P> = Answer<'POST', P>>(props: {
  testId: string;
  title: string;
  hint: string;
  url: P;
  withCorrection?: boolean;
  summary: (result: R) => string;
  details?: (result: R) => JSX.Element | null;
  onImported?: () => void;
}) {
  const { t } = useI18n();
  const [file, setFile] = useState<File>();
  const [skipBadRows, setSkip] = useState(false);
  const [correctRegister, setCorrect] = useState(false);
  const [result, setResult] = useState<R>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<unknown>();
  const send = async (dryRun: boolean) => {
    if (!file) return;
    setError(undefined);
    setProblems([]);
    setResult(undefined);
    try {
      const body = { fileName: file.name, contentBase64: await base64Of(file), skipBadRows, dryRun, ...(props.withCorrection ? { correctRegister } : {}) };
      setResult((await post<ImportPath>(props.url, {}, body)) as R);
      if (!dryRun) props.onImported?.();
    } catch (e) {
      const listed = e instanceof ApiError ? (e.body as { problems?: Problem[] } | undefined)?.problems : undefined;
      if (listed) setProblems(listed);
      setError(e);
    }
  };
  return (
    <section className="card" data-testid={props.testId}>
      <h2>{props.title}</h2>
      <p className="muted">{props.hint}</p>
      <Field label={t('register.file')}>
        <input type="file" name="file" accept=".csv,.xlsx,.txt" onChange={(e) => { setFile(e.target.files?.[0]); setResult(undefined); setProblems([]); setError(undefined); }} />
      </Field>
      <label>
        <input type="checkbox" checked={skipBadRows} onChange={(e) => setSkip(e.target.checked)} /> {t('register.skipBad')}
      </label>
      {props.withCorrection ? (
        <label>
          {' '}<input type="checkbox" checked={correctRegister} onChange={(e) => setCorrect(e.target.checked)} /> {t('register.correct')}
        </label>
      ) : null}
      <p>
        <button type="button" onClick={() => send(true)} disabled={!file} data-testid="preview">
          {t('register.preview')}
        </button>{' '}
        {result?.dryRun ? (
          <button type="button" className="primary" onClick={() => send(false)} data-testid="confirm">
            {t('register.confirm')}
          </button>
        ) : null}
      </p>
      <ErrorBox error={error} />
      {problems.length > 0 ? (
        <div data-testid="bad-rows">
          <p className="error">{t('register.badRows', { n: problems.length })}</p>
          <ul>
            {problems.map((p) => (
              <li key={p.row}>
                <strong>{t('register.row', { n: p.row })}</strong> {p.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {result ? (
        <div data-testid="import-result">
          <p>
            <strong>{result.dryRun ? t('register.dryRunNote') : t('register.done')}</strong> · {props.summary(result)}
          </p>
          {result.skipped.length > 0 ? (
            <ul className="muted">
              {result.skipped.map((p) => (
                <li key={p.row}>{t('register.row', { n: p.row })} {p.reason}</li>
              ))}
            </ul>
          ) : null}
          {props.details?.(result) ?? null}
        </div>
      ) : null}
    </section>
  );
}

export function useDivisions() {
  return useLoad(() => get('/api/v1/divisions', {}), []);
}

export function VillageSelect({ villages, value, onChange, name = 'village' }: { villages: Division[]; value: string; onChange: (code: string) => void; name?: string }) {
  const { lang } = useI18n();
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value)} required>
      <option value="" />
      {villages.map((v) => (
        <option key={v.code} value={v.code}>
          {v.code} · {divisionName(lang, v)}
          {lang !== 'bo' && v.nameBo ? ` · ${v.nameBo}` : ''}
        </option>
      ))}
    </select>
  );
}

export function RegisterPage({ staff }: { staff: Staff }) {
  const { t, num } = useI18n();
  const divisions = useDivisions();
  const villages = (divisions.data?.items ?? []).filter((d) => d.level === 3);
  return (
    <section>
      <h1>{t('register.title')}</h1>
      {staff.permissions.includes('staff.admin') ? (
        <ImportPanel<'/api/v1/divisions/import'>
          testId="import-divisions"
          title={t('register.divisions')}
          hint={t('register.divisionsHint')}
          url="/api/v1/divisions/import"
          onImported={divisions.reload}
          summary={(r) => t('register.divisionSummary', { rows: num(r.rowsTotal), added: num(r.added), renamed: num(r.renamed), unchanged: num(r.unchanged) })}
          details={(r) => (
            <table className="grid">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('register.code')}</th>
                  <th>{t('register.name')}</th>
                  <th>{t('register.nameBo')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {r.rows.map((d) => (
                  <tr key={d.code}>
                    <td>{d.row}</td>
                    <td className="mono">{d.code}</td>
                    <td>{t(`register.level.${d.level}`)} · {d.name}</td>
                    <td lang="bo">{d.nameBo ?? '—'}</td>
                    <td>{t(`register.change.${d.change}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        />
      ) : null}
      <ImportPanel<'/api/v1/households/import'>
        testId="import-households"
        title={t('register.households')}
        hint={t('register.householdsHint')}
        url="/api/v1/households/import"
        withCorrection
        summary={(r) => t('register.householdSummary', { rows: num(r.rowsTotal), households: num(r.householdsAdded), added: num(r.personsAdded), changed: num(r.personsChanged), unchanged: num(r.unchanged) })}
      />
      <NewHousehold villages={villages} />
      <p>
        <Link to="/console/persons">{t('nav.persons')}</Link>
      </p>
    </section>
  );
}

function NewHousehold({ villages }: { villages: Division[] }) {
  const { t } = useI18n();
  const [village, setVillage] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const h = await post('/api/v1/console/households', {}, { villageCode: village, ...(code.trim() ? { code: code.trim() } : {}) });
      navigate(`/console/households/${encodeURIComponent(h.code)}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} data-testid="new-household">
      <h2>{t('register.newHousehold')}</h2>
      <Field label={t('person.division')}>
        <VillageSelect villages={villages} value={village} onChange={setVillage} />
      </Field>
      <Field label={t('register.householdCode')}>
        <input name="code" value={code} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <button type="submit" className="primary">
        {t('register.create')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}
