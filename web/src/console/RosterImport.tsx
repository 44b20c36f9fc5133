/** Importing an identity roster at the window: say what it does, preview it (dry run), then confirm — with the number it ends when a replace ends many. */
import { useState, type FormEvent } from 'react';
import { ApiError, post, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Field } from '../ui.tsx';
import { DEPARTMENTS, IDENTITIES } from '../../../src/domain/vocabulary.ts';

type RosterResult = Answer<'POST', '/api/v1/rosters'>;

/** Above this many statuses a replace asks for their number (the service's CONFIRM_END_ABOVE). */
const CONFIRM_END_ABOVE = 10;

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function RosterImportPanel({ divisionCode }: { divisionCode: string }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState('add');
  const [department, setDepartment] = useState('civil_affairs');
  const [identity, setIdentity] = useState('minimum_living');
  const [division, setDivision] = useState(divisionCode);
  const [from, setFrom] = useState(new Date().toISOString().slice(0, 10));
  const [correct, setCorrect] = useState(false);
  const [preview, setPreview] = useState<RosterResult | null>(null);
  const [done, setDone] = useState<RosterResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<{ row: number; reason: string }[]>([]);

  async function send(dryRun: boolean, confirmEnd?: number) {
    if (!file) return;
    setError(null);
    setProblems([]);
    try {
      const body = {
        mode, department, identity, division, from, fileName: file.name, contentBase64: await base64Of(file), correctRegister: correct, dryRun,
        ...(confirmEnd !== undefined ? { confirmEnd } : {}),
      };
      const result = await post('/api/v1/rosters', {}, body);
      if (dryRun) setPreview(result);
      else {
        setDone(result);
        setPreview(null);
      }
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setProblems(((e.body as { problems?: { row: number; reason: string }[] })?.problems) ?? []);
    }
  }
  const onPreview = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    void send(true);
  };
  const needsConfirm = preview !== null && preview.mode === 'replace' && preview.dropped > CONFIRM_END_ABOVE;
  return (
    <section className="panel" data-testid="roster-import">
      <h2>{t('window.roster')}</h2>
      <form onSubmit={onPreview} className="form-grid">
        <Field label={t('window.roster.mode')}>
          <select name="mode" value={mode} onChange={(e) => (setMode(e.target.value), setPreview(null))}>
            {(['add', 'end', 'replace'] as const).map((m) => <option key={m} value={m}>{t(`window.roster.mode.${m}`)}</option>)}
          </select>
        </Field>
        <Field label={t('window.roster.department')}>
          <select name="department" value={department} onChange={(e) => setDepartment(e.target.value)}>
            {DEPARTMENTS.map((d) => <option key={d} value={d}>{t(`department.${d}`)}</option>)}
          </select>
        </Field>
        <Field label={t('window.roster.identity')}>
          <select name="identity" value={identity} onChange={(e) => setIdentity(e.target.value)}>
            {IDENTITIES.map((i) => <option key={i} value={i}>{t(`identity.${i}`)}</option>)}
          </select>
        </Field>
        <Field label={t('window.roster.division')}>
          <input name="division" value={division} onChange={(e) => setDivision(e.target.value)} pattern="\d{6}(\d{3}(\d{3})?)?" />
        </Field>
        <Field label={t('window.roster.from')}>
          <input name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </Field>
        <Field label={t('window.roster.file')}>
          <input name="file" type="file" accept=".csv,.xlsx" onChange={(e) => (setFile(e.target.files?.[0] ?? null), setPreview(null))} required />
        </Field>
        <label>
          <input type="checkbox" name="correctRegister" checked={correct} onChange={(e) => setCorrect(e.target.checked)} /> {t('window.roster.correct')}
        </label>
        <button type="submit">{t('window.roster.preview')}</button>
      </form>
      <ErrorBox error={error} />
      {problems.length > 0 ? (
        <ul className="problems" data-testid="roster-problems">
          {problems.map((p) => <li key={p.row}>{`row ${p.row}: ${p.reason}`}</li>)}
        </ul>
      ) : null}
      {preview ? (
        <div data-testid="roster-preview">
          <p>{t('window.roster.previewResult', { rows: preview.rowsImported, registered: preview.registered, added: preview.added, ended: preview.ended, unchanged: preview.unchanged })}</p>
          {needsConfirm ? <p className="warning">{t('window.roster.confirmEnd', { n: preview.dropped })}</p> : null}
          <button type="button" name="confirm" onClick={() => void send(false, needsConfirm ? preview.dropped : undefined)}>
            {t('window.roster.confirm')}
          </button>
        </div>
      ) : null}
      {done ? <p className="ok" data-testid="roster-done">{t('window.roster.done', { id: done.rosterId ?? '' })} · {t('window.roster.previewResult', { rows: done.rowsImported, registered: done.registered, added: done.added, ended: done.ended, unchanged: done.unchanged })}</p> : null}
    </section>
  );
}
