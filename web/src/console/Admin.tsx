/** The audit log (auditor, administrator) and the station delegations a bureau administrator sets. */
import { useState } from 'react';
import { get, put } from '../api-client.ts';
import { AUDIT_FILTERS, auditFilterKey, auditFilterOf } from './audit-filters.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorBox, Loading, useLoad } from '../ui.tsx';
import { divisionName } from './Persons.tsx';

export function AuditPage() {
  const { t, dateTime } = useI18n();
  const [action, setAction] = useState('');
  const log = useLoad(() => get('/api/v1/console/audit', {}, { limit: 200, action }), [action]);
  return (
    <section>
      <h1>{t('nav.audit')}</h1>
      <div className="searchbar">
        <select value={action} onChange={(e) => setAction(e.target.value)} aria-label={t('audit.action')}>
          <option value="">{t('audit.action')}: *</option>
          {AUDIT_FILTERS.map((a) => (
            <option key={a} value={a}>
              {t(auditFilterKey(a))}
            </option>
          ))}
        </select>
      </div>
      <Loading loaded={log} />
      {log.data ? (
        <table className="grid" data-testid="audit">
          <thead>
            <tr>
              <th>{t('audit.at')}</th>
              <th>{t('audit.actor')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.entity')}</th>
              <th>{t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {log.data.items.map((r) => (
              <tr key={r.id}>
                <td>{dateTime(r.at)}</td>
                <td className="mono">{r.actor}</td>
                <td data-testid="audit-action">
                  {auditFilterOf(r.action) ? `${t(auditFilterKey(auditFilterOf(r.action)!))} · ` : ''}
                  <span className="mono muted">{r.action}</span>
                </td>
                <td className="mono">
                  {r.entity}:{r.entityId}
                </td>
                <td className="mono small">{JSON.stringify(r.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function DelegationsPage() {
  const { t, lang } = useI18n();
  const data = useLoad(() => get('/api/v1/console/delegations', {}), []);
  const [edits, setEdits] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<unknown>();
  if (!data.data) return <Loading loaded={data} />;
  const itemsOf = (code: string, original: string[]) => edits[code] ?? original;
  const toggle = (code: string, original: string[], item: string) => {
    const current = itemsOf(code, original);
    setEdits({ ...edits, [code]: current.includes(item) ? current.filter((i) => i !== item) : [...current, item] });
  };
  const save = async (code: string, original: string[]) => {
    setError(undefined);
    try {
      await put('/api/v1/console/delegations/{divisionCode}', { divisionCode: code }, { items: itemsOf(code, original) });
      setSaved(code);
      data.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section>
      <h1>{t('nav.delegations')}</h1>
      <ErrorBox error={error} />
      <table className="grid" data-testid="delegations">
        <thead>
          <tr>
            <th>{t('delegations.township')}</th>
            {data.data.available.map((item) => (
              <th key={item} className="center">
                {t(`item.${item}`)}
              </th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {data.data.townships.map((tw) => (
            <tr key={tw.code}>
              <td>
                {divisionName(lang, tw)} <small className="muted">{tw.code} · {t('delegations.stations')}: {tw.stations}</small>
              </td>
              {data.data!.available.map((item) => (
                <td key={item} className="center">
                  <input
                    type="checkbox"
                    aria-label={`${tw.code} ${item}`}
                    checked={itemsOf(tw.code, tw.items).includes(item)}
                    onChange={() => toggle(tw.code, tw.items, item)}
                  />
                </td>
              ))}
              <td>
                <button type="button" onClick={() => save(tw.code, tw.items)}>
                  {t('save')}
                </button>
                {saved === tw.code ? <span className="ok"> {t('saved')}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
