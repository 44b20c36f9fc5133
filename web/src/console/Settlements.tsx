/** Settlements in the staff member's area, and one settlement with its step-by-step explanation. */
import { Adjustments, type Adjustment, type Effective } from '../adjustments.tsx';
import { useEffect, useState } from 'react';
import { get, type Answer } from '../api-client.ts';
import { StepsTable, type Breakdown } from '../explain.tsx';
import { useI18n } from '../i18n/index.tsx';
import { Link, Loading, useLoad } from '../ui.tsx';
import { BillLines } from './BillLines.tsx';
import { ExportLinks, Pager, YearSelect } from './list-tools.tsx';
import { defaultYear } from './year.ts';
import { SettlementReversal } from './WindowUndo.tsx';
import type { Staff } from './ConsoleApp.tsx';

type ListedSettlement = Answer<'GET', '/api/v1/console/settlements'>['items'][number];

const PAGE = 50;

export function SettlementsPage() {
  const { t, date, money } = useI18n();
  const [year, setYear] = useState<number>();
  const [latest, setLatest] = useState<number>();
  const [offset, setOffset] = useState(0);
  useEffect(() => void defaultYear().then(setLatest), []);
  const filters = new URLSearchParams(year ? { year: String(year) } : {});
  const list = useLoad(
    () => get('/api/v1/console/settlements', {}, { limit: PAGE, offset, year }),
    [offset, year],
  );
  return (
    <section>
      <h1>{t('settlement.list')}</h1>
      <div className="searchbar">
        <YearSelect value={year} years={latest ? Array.from({ length: 5 }, (_, i) => latest - i) : []} allowAll onChange={(y) => (setYear(y), setOffset(0))} />
        <ExportLinks url={`/api/v1/console/settlements?${filters}`} />
      </div>
      <Loading loaded={list} />
      {list.data ? <Pager total={list.data.total} offset={offset} limit={PAGE} onOffset={setOffset} /> : null}
      {list.data ? (
        list.data.items.length ? (
          <table className="grid" data-testid="settlements">
            <thead>
              <tr>
                <th>{t('date')}</th>
                <th>{t('settlement.person')}</th>
                <th>{t('settlement.facility')}</th>
                <th>{t('settlement.kind')}</th>
                <th className="num">{t('settlement.totalCost')}</th>
                <th className="num">{t('settlement.fundsPaid')}</th>
                <th className="num">{t('settlement.selfPay')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/console/settlements/${s.id}`}>{date(s.date)}</Link>
                  </td>
                  <td>
                    <Link to={`/console/persons/${s.personId}`}>{s.personName}</Link>
                  </td>
                  <td>{s.facility}</td>
                  <td>{t(`kind.${s.kind}`)}</td>
                  <td className="num">{money(s.total)}</td>
                  <td className="num">{money(s.funds)}</td>
                  <td className="num">{money(s.selfPay)}</td>
                  <td>
                    {t(`settlement.status.${s.status}`)}
                    {s.adjustments ? <span className="badge adjusted"> {t('settlement.adjusted')}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{t('none')}</p>
        )
      ) : null}
    </section>
  );
}

export function SettlementPage({ id, staff }: { id: number; staff?: Staff }) {
  const { t, date } = useI18n();
  const detail = useLoad(() => get('/api/v1/console/settlements/{id}', { id }), [id]);
  if (!detail.data) return <Loading loaded={detail} />;
  const s = detail.data;
  return (
    <section data-testid="settlement">
      <p>
        <Link to={`/console/persons/${s.person.id}`}>← {s.person.name}</Link>
      </p>
      <h1>{t('settlement.detail')}</h1>
      <dl className="facts">
        <dt>{t('settlement.person')}</dt>
        <dd>
          {s.person.name} <span className="mono muted">{s.person.idNumber}</span>
        </dd>
        <dt>{t('settlement.facility')}</dt>
        <dd>{s.facility.name}</dd>
        <dt>{t('settlement.kind')}</dt>
        <dd>
          {t(`kind.${s.visit.kind}`)} · {t(`level.${s.visit.level}`)} · {date(s.visit.date)}
        </dd>
        <dt>{t('status')}</dt>
        <dd>
          {t(`settlement.status.${s.status}`)} · <span className="mono">{s.policy}</span> · <span className="mono">{s.transactionId}</span>
        </dd>
      </dl>
      {staff?.permissions.includes('settlement.reverse') && s.status === 'settled' ? <SettlementReversal settlementId={s.id} onDone={detail.reload} /> : null}
      <BillLines settlementId={s.id} />
      <StepsTable breakdown={s} />
      <Adjustments adjustments={s.adjustments ?? []} effective={s.effective} audience="staff" settled={s.steps} />
    </section>
  );
}
