/**
 * The years (bureau admin, issue 18): closed years and the settlement id
 * ranges as `sanbao year list` shows them; opening the next year's range and
 * archiving a closed one, through the same services as the CLI. The server
 * refuses what may not be done (a year still taking bills, not closed, not
 * cleared …); the page shows its refusal in the reader's language.
 */
import { useState } from 'react';
import { get, post, type Answer } from '../api-client.ts';
import { useI18n, type Params } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { ErrorBox, Loading, useLoad } from '../ui.tsx';

type Range = Answer<'GET', '/api/v1/console/years'>['ranges'][number];

export function YearsPage() {
  const { t, num, dateTime } = useI18n();
  const years = useLoad(() => get('/api/v1/console/years', {}), []);
  // What was done, as a message key: said again in the reader's language when it changes.
  const [done, setDone] = useState<{ key: MessageKey; params: Params }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  type Done = { key: MessageKey; params: Params };
  const run = async (action: () => Promise<Done>) => {
    setError(undefined);
    setDone(undefined);
    setBusy(true);
    try {
      setDone(await action());
      years.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const open = (year: number) =>
    run(async () => {
      const r = await post('/api/v1/console/years/{year}/open', { year });
      const said: Done = r.opened ? { key: 'years.didOpen', params: { year, firstId: String(r.firstId) } } : { key: 'years.wasOpen', params: { year } };
      return said;
    });
  const archive = (year: number) => {
    if (!window.confirm(t('years.archiveConfirm', { year }))) return;
    void run(async () => {
      const r = await post('/api/v1/console/years/{year}/archive', { year });
      const schema = r.tables[0]?.replace(/\..*$/, '') ?? '';
      const said: Done = r.archived ? { key: 'years.didArchive', params: { year, n: r.settlements, schema } } : { key: 'years.wasArchived', params: { year } };
      return said;
    });
  };

  if (!years.data) return <Loading loaded={years} />;
  const { closed, ranges, nextYear } = years.data;
  const state = (r: Range) =>
    [
      r.openedAt ? t('years.opened', { at: dateTime(r.openedAt), by: r.openedBy ?? '' }) : t('years.before'),
      r.archivedAt ? t('years.archived', { at: dateTime(r.archivedAt), by: r.archivedBy ?? '' }) : '',
      r.current ? t('years.current') : '',
    ].filter(Boolean).join(' · ');
  return (
    <section>
      <h1>{t('nav.years')}</h1>
      <ErrorBox error={error} />
      {done ? (
        <p className="ok" role="status" data-testid="years-done">
          {t(done.key, done.key === 'years.didArchive' ? { ...done.params, n: num(Number(done.params.n)) } : done.params)}
        </p>
      ) : null}
      <h2>{t('years.ranges')}</h2>
      <table className="grid" data-testid="year-ranges">
        <thead>
          <tr>
            <th>{t('years.year')}</th>
            <th>{t('years.ids')}</th>
            <th className="num">{t('years.settlements')}</th>
            <th>{t('years.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {ranges.map((r) => (
            <tr key={r.year ?? 'before'} data-testid={`range-${r.year ?? 'before'}`} className={r.current ? 'current' : undefined}>
              <td>{r.year ?? '—'}</td>
              <td className="mono small">{r.firstId === null ? `< ${r.lastId + 1}` : `${r.firstId}–${r.lastId}`}</td>
              <td className="num">{num(r.settlements)}</td>
              <td>{state(r)}</td>
              <td>
                {r.year !== null && !r.archivedAt && !r.current ? (
                  <button type="button" disabled={busy} onClick={() => archive(r.year!)} data-testid={`archive-${r.year}`}>
                    {t('years.archive')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" className="primary" disabled={busy} onClick={() => void open(nextYear)} data-testid="open-year">
          {t('years.open', { year: nextYear })}
        </button>
      </p>
      <p className="muted small">{t('years.openHint')}</p>
      <h2>{t('years.closed')}</h2>
      {closed.length === 0 ? (
        <p className="muted">{t('years.noneClosed')}</p>
      ) : (
        <table className="grid" data-testid="closed-years">
          <thead>
            <tr>
              <th>{t('years.year')}</th>
              <th>{t('years.closedAt')}</th>
              <th>{t('years.by')}</th>
              <th>{t('years.note')}</th>
            </tr>
          </thead>
          <tbody>
            {closed.map((c) => (
              <tr key={c.year}>
                <td>{c.year}</td>
                <td>{dateTime(c.closedAt)}</td>
                <td className="mono">{c.closedBy}</td>
                <td>{c.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
