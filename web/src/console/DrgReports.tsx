/**
 * DRG payment (issue 16): group coverage, CMI per hospital, cost per case and
 * length of stay by hospital level year on year, surplus per hospital and the
 * outliers of a DRG policy's year, with ECharts like the Reports page. Fen and
 * ten-thousandths stay integers; labels format them.
 */
import { useState } from 'react';
import type { EChartsOption } from 'echarts';
import { get, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link, Loading, useLoad } from '../ui.tsx';
import { Chart } from './Reports.tsx';

export type DrgReport = Answer<'GET', '/api/v1/drg/report'>;

/** 12345 ten-thousandths → "1.2345". */
export const factor = (v: number) => (v / 10_000).toFixed(4);
const percent = (bp: number) => `${(bp / 100).toFixed(2)}%`;
const grid = { left: 10, right: 20, top: 50, bottom: 10, containLabel: true };

export function DrgPage() {
  const { t, money, num } = useI18n();
  const policies = useLoad(() => get('/api/v1/drg/policies', {}), []);
  const [chosen, setChosen] = useState<string>();
  const policy = chosen ?? policies.data?.items.at(-1)?.id;
  const report = useLoad(() => (policy ? get('/api/v1/drg/report', {}, { policy }) : new Promise<never>(() => undefined)), [policy]);
  if (!policies.data) return <Loading loaded={policies} />;
  if (!report.data) return <Loading loaded={report} />;
  const r = report.data;
  const c = r.coverage;
  const axisMoney = { axisLabel: { formatter: (v: number) => money(Math.round(v)) } };

  const coverageChart: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: c.byMdc.map((m) => m.mdc) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('drg.grouped'), type: 'bar', stack: 'cases', data: c.byMdc.map((m) => m.cases - m.ungroupable) },
      { name: t('drg.ungroupable'), type: 'bar', stack: 'cases', data: c.byMdc.map((m) => m.ungroupable) },
    ],
  };
  const cmiChart: EChartsOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => Number(v).toFixed(4) },
    grid,
    xAxis: { type: 'category', data: r.cmi.map((h) => h.name), axisLabel: { interval: 0, rotate: 15 } },
    yAxis: { type: 'value' },
    series: [{ name: t('drg.cmi'), type: 'bar', data: r.cmi.map((h) => h.cmi / 10_000), label: { show: true, position: 'top', formatter: (p) => Number(p.value).toFixed(2) } }],
  };
  const levels = r.costByLevel.map((l) => t('drg.levelN', { level: String(l.level) }));
  const years = [r.policy.year - 1, r.policy.year];
  const costChart: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: levels },
    yAxis: [{ type: 'value', ...axisMoney }, { type: 'value', name: t('drg.stay'), position: 'right' }],
    series: [
      ...years.map((year, i) => ({
        name: `${t('drg.costPerCase')} ${year}`, type: 'bar' as const,
        data: r.costByLevel.map((l) => (i === 0 ? l.before : l.now)?.costPerCase ?? 0),
        tooltip: { valueFormatter: (v: unknown) => money(Number(v)) },
      })),
      ...years.map((year, i) => ({
        name: `${t('drg.stay')} ${year}`, type: 'line' as const, yAxisIndex: 1,
        data: r.costByLevel.map((l) => ((i === 0 ? l.before : l.now)?.stayTenths ?? 0) / 10),
      })),
    ],
  };
  const surplusChart: EChartsOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => money(Number(v)) },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: r.surplus.map((s) => s.name), axisLabel: { interval: 0, rotate: 15 } },
    yAxis: { type: 'value', ...axisMoney },
    series: [
      { name: t('drg.cost'), type: 'bar', data: r.surplus.map((s) => s.cost) },
      { name: t('drg.payment'), type: 'bar', data: r.surplus.map((s) => s.payment) },
      { name: t('drg.surplus'), type: 'bar', data: r.surplus.map((s) => ({ value: s.surplus, itemStyle: { color: s.surplus < 0 ? '#c0392b' : '#27ae60' } })) },
    ],
  };

  return (
    <section data-testid="drg">
      <h1>{t('nav.drg')}</h1>
      <label className="inline">
        {t('drg.policy')}{' '}
        <select value={policy} onChange={(e) => setChosen(e.target.value)} data-testid="drg-policy">
          {policies.data.items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <p className="lead" data-testid="drg-summary">
        {t('drg.summary', { n: num(c.discharges), grouped: num(c.grouped), share: percent(c.groupedBp), drgs: num(c.drgsUsed), ungroupable: num(c.ungroupable), table: r.policy.table })}
      </p>
      {c.reasons.length ? (
        <p className="muted" data-testid="drg-reasons">
          {t('drg.reasons')}: {c.reasons.map((x) => `${t(`drg.reason.${x.reason}`)} ${num(x.cases)}`).join(' · ')}
        </p>
      ) : null}
      <div className="charts">
        <figure className="card">
          <figcaption>{t('drg.coverage')}</figcaption>
          <Chart option={coverageChart} testId="chart-drg-coverage" />
        </figure>
        <figure className="card">
          <figcaption>{t('drg.cmiPerHospital')}</figcaption>
          <Chart option={cmiChart} testId="chart-drg-cmi" />
        </figure>
        <figure className="card">
          <figcaption>{t('drg.costByLevel')}</figcaption>
          <Chart option={costChart} testId="chart-drg-cost" />
        </figure>
        <figure className="card">
          <figcaption>{t('drg.surplusPerHospital')}</figcaption>
          <Chart option={surplusChart} testId="chart-drg-surplus" />
        </figure>
      </div>
      <table className="grid" data-testid="drg-levels">
        <thead>
          <tr>
            <th>{t('drg.level')}</th>
            <th className="num">{t('drg.costPerCase')} {years[0]}</th>
            <th className="num">{t('drg.costPerCase')} {years[1]}</th>
            <th className="num">{t('drg.change')}</th>
            <th className="num">{t('drg.stay')} {years[0]}</th>
            <th className="num">{t('drg.stay')} {years[1]}</th>
          </tr>
        </thead>
        <tbody>
          {r.costByLevel.map((l) => (
            <tr key={l.level}>
              <td>{t('drg.levelN', { level: String(l.level) })}</td>
              <td className="num">{l.before ? money(l.before.costPerCase) : '—'}</td>
              <td className="num">{l.now ? money(l.now.costPerCase) : '—'}</td>
              <td className="num">{l.costChangeBp === null ? '—' : `${l.costChangeBp > 0 ? '+' : ''}${percent(l.costChangeBp)}`}</td>
              <td className="num">{l.before ? (l.before.stayTenths / 10).toFixed(1) : '—'}</td>
              <td className="num">{l.now ? (l.now.stayTenths / 10).toFixed(1) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('drg.outliers')}</h2>
      <p className="muted">{t('drg.outlierSummary', { high: num(r.outliers.high), low: num(r.outliers.low), paid: num(r.outliers.paid) })}</p>
      <table className="grid" data-testid="drg-outliers">
        <thead>
          <tr>
            <th>{t('drg.facility')}</th>
            <th>{t('drg.setlId')}</th>
            <th>{t('drg.month')}</th>
            <th>DRG</th>
            <th>{t('drg.kind')}</th>
            <th className="num">{t('drg.standard')}</th>
            <th className="num">{t('drg.cost')}</th>
            <th className="num">{t('drg.payment')}</th>
          </tr>
        </thead>
        <tbody>
          {r.outliers.items.map((o) => (
            <tr key={o.abstract_id}>
              <td>{o.facility_code}</td>
              <td>
                <Link to={`/console/drg/discharges/${o.abstract_id}`}>{o.setl_id}</Link>
              </td>
              <td>{o.month}</td>
              <td>{o.drg}</td>
              <td>{t(`drg.kind.${o.kind}`)}</td>
              <td className="num">{money(o.standard_fen)}</td>
              <td className="num">{money(o.total_fen)}</td>
              <td className="num">{money(o.payment_fen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
