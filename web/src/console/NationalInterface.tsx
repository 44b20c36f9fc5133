/** The national interface's traffic: what each hospital's HIS sent and was answered, newest first (ids and amounts, no personal data). */
import { useState } from 'react';
import { get } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { Field, Loading, useLoad } from '../ui.tsx';

/** Which kind of work each transaction number is. */
const GROUPS: Record<string, MessageKey> = {
  '9001': 'fsi.group.sign_in', '1101': 'fsi.group.person',
  '2201': 'fsi.group.visit', '2401': 'fsi.group.visit', '2402': 'fsi.group.visit',
  '2204': 'fsi.group.fees', '2301': 'fsi.group.fees',
  '2206': 'fsi.group.trial', '2303': 'fsi.group.trial',
  '2207': 'fsi.group.settle', '2304': 'fsi.group.settle',
  '2202': 'fsi.group.cancel', '2205': 'fsi.group.cancel', '2208': 'fsi.group.cancel', '2302': 'fsi.group.cancel', '2305': 'fsi.group.cancel', '2601': 'fsi.group.cancel',
  '2501': 'fsi.group.filing', '2503': 'fsi.group.filing', '2504': 'fsi.group.cancel',
  '3201': 'fsi.group.reconcile', '3202': 'fsi.group.reconcile', '4101': 'fsi.group.list',
};

export function NationalInterfacePage() {
  const { t } = useI18n();
  const [facility, setFacility] = useState('');
  // The facilities that sent something lately (the facility list itself is the admin's).
  const recent = useLoad(() => get('/api/v1/console/fsi/messages', {}, { limit: 500 }), []);
  const facilities = [...new Map((recent.data?.items ?? []).map((m) => [m.facility.code, m.facility])).values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  const list = useLoad(() => get('/api/v1/console/fsi/messages', {}, { facility }), [facility]);
  return (
    <section>
      <h1>{t('nav.fsi')}</h1>
      <p>{t('fsi.intro')}</p>
      <Field label={t('fsi.facility')}>
        <select value={facility} onChange={(e) => setFacility(e.target.value)} data-testid="fsi-facility">
          <option value="">{t('fsi.all')}</option>
          {facilities.map((f) => <option key={f.code} value={f.code}>{f.code} {f.name}</option>)}
        </select>
      </Field>
      <Loading loaded={list} />
      {list.data && list.data.items.length === 0 ? <p>{t('fsi.empty')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <div style={{ overflowX: 'auto' }}>
        <table className="grid" data-testid="fsi-messages">
          <thead>
            <tr>
              <th>{t('fsi.time')}</th>
              <th>{t('fsi.facility')}</th>
              <th>{t('fsi.infno')}</th>
              <th>{t('fsi.msgid')}</th>
              <th>{t('fsi.visit')}</th>
              <th>{t('fsi.setl')}</th>
              <th className="num">{t('fsi.medfee')}</th>
              <th className="num">{t('fsi.fund')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((m) => (
              <tr key={`${m.facility.code}/${m.msgid}`} data-msgid={m.msgid}>
                <td style={{ whiteSpace: 'nowrap' }}>{new Date(m.at).toLocaleString()}</td>
                <td className="mono">{m.facility.code}</td>
                <td style={{ whiteSpace: 'nowrap' }}>{m.infno} {GROUPS[m.infno] ? t(GROUPS[m.infno]!) : ''}</td>
                <td className="mono">{m.msgid}</td>
                <td className="mono">{m.mdtrtId ?? ''}</td>
                <td className="mono">{m.setlId ?? ''}</td>
                {/* Yuan as the interface answered them: text with two decimals, never a float. */}
                <td className="num">{m.medfeeYuan ?? ''}</td>
                <td className="num">{m.fundYuan ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      ) : null}
    </section>
  );
}
