/** Pieces every list shares: the real total with paging, a year selector, and export links (the API answers ?format=csv|xlsx). */
import { useI18n } from '../i18n/index.tsx';

export function Pager({ total, offset, limit, onOffset }: { total: number; offset: number; limit: number; onOffset: (offset: number) => void }) {
  const { t, num } = useI18n();
  const to = Math.min(total, offset + limit);
  return (
    <div className="pager actions" data-testid="pager">
      <span data-testid="pager-text">{t('list.page', { from: num(total === 0 ? 0 : offset + 1), to: num(to), total: num(total) })}</span>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))} data-testid="pager-prev">
        {t('list.prev')}
      </button>
      <button type="button" disabled={to >= total} onClick={() => onOffset(offset + limit)} data-testid="pager-next">
        {t('list.next')}
      </button>
    </div>
  );
}

/** Links that download the list as the server writes it; `url` already carries the list's filters. */
export function ExportLinks({ url }: { url: string }) {
  const { t } = useI18n();
  const join = url.includes('?') ? '&' : '?';
  return (
    <span className="export actions" data-testid="export">
      {(['csv', 'xlsx'] as const).map((format) => (
        <a key={format} className="button" href={`${url}${join}format=${format}`} download data-testid={`export-${format}`}>
          {t('list.export', { format: format.toUpperCase() })}
        </a>
      ))}
    </span>
  );
}

export function YearSelect({ value, years, onChange, allowAll = false }: { value: number | undefined; years: number[]; onChange: (year: number | undefined) => void; allowAll?: boolean }) {
  const { t } = useI18n();
  return (
    <select value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : undefined)} aria-label={t('year')} data-testid="year-select">
      {allowAll ? <option value="">{t('list.allYears')}</option> : null}
      {years.map((y) => (
        <option key={y} value={y}>
          {y}
        </option>
      ))}
    </select>
  );
}
