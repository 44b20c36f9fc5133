/** The medical-insurance item catalogue in force (drugs, service items, consumables): class, self-pay-first share, price ceiling, restrictions. */
import { useState } from 'react';
import { get } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Loading, useLoad } from '../ui.tsx';

export function CataloguePage() {
  const { t, money } = useI18n();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState('');
  const [date, setDate] = useState('');
  const list = useLoad(() => get('/api/v1/catalogue/items', {}, { limit: 500, q, kind, date }), [q, kind, date]);
  return (
    <section>
      <h1>{t('nav.catalogue')}</h1>
      <div className="searchbar">
        <input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('catalogue.search')} aria-label={t('catalogue.search')} />
        <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label={t('catalogue.kind')}>
          <option value="">{t('catalogue.kind')}: *</option>
          {['western_drug', 'patent_drug', 'herbal_pieces', 'service', 'consumable'].map((k) => (
            <option key={k} value={k}>
              {t(`itemKind.${k}`)}
            </option>
          ))}
        </select>
        <label>
          {t('catalogue.inForce')}{' '}
          <input type="date" name="date" value={date || list.data?.date || ''} onChange={(e) => setDate(e.target.value)} />
        </label>
      </div>
      <Loading loaded={list} />
      {list.data ? (
        <table className="grid" data-testid="catalogue">
          <thead>
            <tr>
              <th>{t('catalogue.code')}</th>
              <th>{t('catalogue.name')}</th>
              <th>{t('catalogue.kind')}</th>
              <th>{t('catalogue.class')}</th>
              <th className="num">{t('catalogue.selfPayFirst')}</th>
              <th className="num">{t('catalogue.priceCap')}</th>
              <th>{t('catalogue.restrictions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((i) => (
              <tr key={`${i.region}-${i.code}`}>
                <td className="mono">{i.code}</td>
                <td>
                  {i.name} {i.region !== 'national' ? <span className="muted">({i.region})</span> : null}
                </td>
                <td>{t(`itemKind.${i.kind}`)}</td>
                <td>{t(`itemClass.${i.class}`)}</td>
                <td className="num">
                  {i.class !== 'B'
                    ? ''
                    : i.selfPayFirst.resident === i.selfPayFirst.employee
                      ? i.selfPayFirst.resident
                      : t('catalogue.selfPayFirstBySchemes', i.selfPayFirst)}
                </td>
                <td className="num">{i.priceCap === null ? '' : `${money(i.priceCap)}/${i.unit}`}</td>
                <td data-testid="restrictions">
                  {[
                    i.restrictions.sex ? t(`sex.${i.restrictions.sex}`) : '',
                    i.restrictions.minAge !== undefined || i.restrictions.maxAge !== undefined
                      ? t('catalogue.ages', { min: String(i.restrictions.minAge ?? 0), max: i.restrictions.maxAge === undefined ? '…' : String(i.restrictions.maxAge) })
                      : '',
                    i.restrictions.minLevel !== undefined ? t(`level.${i.restrictions.minLevel}`) + '+' : '',
                    i.restrictions.diagnoses.join(' '),
                    i.restrictions.maxPerDay !== undefined ? t('catalogue.perDay', { n: String(i.restrictions.maxPerDay) }) : '',
                    i.restrictions.maxPerStay !== undefined ? t('catalogue.perStay', { n: String(i.restrictions.maxPerStay) }) : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
