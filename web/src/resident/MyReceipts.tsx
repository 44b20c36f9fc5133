/** My payments of a year and their receipts as PDF, in Chinese or Tibetan (issue 13). */
import { get } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { useLoad } from '../ui.tsx';

export function MyReceipts({ year }: { year: number }) {
  const { t, money } = useI18n();
  const payments = useLoad(() => get('/api/v1/me/payments', {}, { year }), [year]);
  const items = payments.data?.items ?? [];
  if (!items.length) return null;
  return (
    <dd data-testid="my-receipts">
      <ul className="receipts">
        {items.map((p) => (
          <li key={p.id} className={p.reversed ? 'muted' : ''}>
            <span className="mono">{p.receiptNo}</span> · {p.paidOn} · {money(p.amount)}{' '}
            {(['zh-CN', 'bo'] as const).map((lang, i) => (
              <span key={lang}>
                {i ? ' · ' : ''}
                <a href={`/api/v1/me/payments/${p.id}/receipt?lang=${lang}`} target="_blank" rel="noreferrer" data-lang={lang}>
                  {t(lang === 'bo' ? 'receipt.pdf.bo' : 'receipt.pdf.zh')}
                </a>
              </span>
            ))}
          </li>
        ))}
      </ul>
    </dd>
  );
}
