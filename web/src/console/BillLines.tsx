/** A settlement's fee lines as the bureau priced them, and the claim-review flags on it. */
import { get } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { useLoad } from '../ui.tsx';
import type { ReviewFlag } from './Review.tsx';

export function BillLines({ settlementId }: { settlementId: number }) {
  const { t, money } = useI18n();
  const bill = useLoad(() => get('/api/v1/console/settlements/{id}/bill', { id: settlementId }), [settlementId]);
  if (!bill.data) return null;
  const b = bill.data;
  return (
    <div data-testid="bill-lines">
      <h2>
        {t('bill.lines')} · <span data-testid="verification">{t(`bill.${b.verification}`)}</span>
      </h2>
      {b.lines.length ? (
        <table className="grid">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('catalogue.name')}</th>
              <th>{t('catalogue.class')}</th>
              <th className="num">{t('bill.quantity')}</th>
              <th className="num">{t('amount')}</th>
              <th className="num">{t('bill.aboveCap')}</th>
              <th className="num">{t('bill.excluded')}</th>
              <th className="num">{t('bill.selfPayFirst')}</th>
              <th className="num">{t('bill.compliant')}</th>
            </tr>
          </thead>
          <tbody>
            {b.lines.map((l) => (
              <tr key={l.index}>
                <td>{l.index}</td>
                <td>
                  {l.name ?? l.code} <span className="mono muted">{l.code}</span>
                </td>
                <td>{t(`itemClass.${l.class}`)}</td>
                <td className="num">{l.quantity}</td>
                <td className="num">{money(l.amount)}</td>
                <td className="num">{money(l.aboveCap)}</td>
                <td className="num">{money(l.excluded)}</td>
                <td className="num">{money(l.selfPayFirst)}</td>
                <td className="num">{money(l.compliant)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {b.flags.length ? (
        <ul className="flags" data-testid="bill-flags">
          {b.flags.map((f) => (
            <li key={f.id}>
              {t(`rule.${f.rule}`)}: {f.message} · {t(`review.status.${f.status}`)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
