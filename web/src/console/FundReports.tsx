/**
 * Fund report (基金运行分析) with ECharts: income against spending per fund
 * and month, spending per hospital level, months of reserve, the budget
 * warning, and whether the ledger verifies. Fen stay integers; labels format them.
 */
import { useEffect, useState } from 'react';
import type { EChartsOption } from 'echarts';
import { get, type Answer } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Loading, useLoad } from '../ui.tsx';
import { Chart } from './Reports.tsx';

export type FundReport = Answer<'GET', '/api/v1/fund/report'>;
const grid = { left: 10, right: 20, top: 50, bottom: 10, containLabel: true };

export function FundReportTab() {
  const { t, has, money, num, percent } = useI18n();
  const [year, setYear] = useState(new Date().getFullYear());
  const [fund, setFund] = useState('basic');
  const report = useLoad(() => get('/api/v1/fund/report', {}, { year }), [year]);
  const verify = useLoad(() => get('/api/v1/fund/ledger/verify', {}), []);
  useEffect(() => {
    if (report.data && !report.data.funds.some((f) => f.fund === fund) && report.data.funds[0]) setFund(report.data.funds[0].fund);
  }, [report.data, fund]);
  if (!report.data) return <Loading loaded={report} />;
  const r = report.data;
  const f = r.funds.find((x) => x.fund === fund);
  const fundName = (id: string) => (has(`ledgerFund.${id}`) ? t(`ledgerFund.${id}`) : id);
  const axisMoney = { axisLabel: { formatter: (v: number) => money(Math.round(v)) } };
  const flowChart: EChartsOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => money(Number(v)) },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: r.months.map((m) => m.slice(5)) },
    yAxis: { type: 'value', ...axisMoney },
    series: [
      { name: t('fund.income'), type: 'bar', data: f?.income ?? [] },
      { name: t('fund.spending'), type: 'bar', data: f?.spending ?? [] },
    ],
  };
  const levelChart: EChartsOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => money(Number(v)) },
    grid,
    xAxis: { type: 'category', data: r.byLevel.map((l) => t('fund.levelN', { level: String(l.level) })) },
    yAxis: { type: 'value', ...axisMoney },
    series: [{ name: t('fund.spending'), type: 'bar', data: r.byLevel.map((l) => l.spending) }],
  };
  return (
    <div data-testid="fund-report">
      <div className="searchbar">
        <label>
          {t('year')}{' '}
          <input type="number" value={year} min={2000} max={2100} onChange={(e) => setYear(Number(e.target.value))} data-testid="fund-year" />
        </label>
        <select value={fund} onChange={(e) => setFund(e.target.value)} aria-label={t('fund.fund')} data-testid="fund-select">
          {r.funds.map((x) => (
            <option key={x.fund} value={x.fund}>{fundName(x.fund)}</option>
          ))}
        </select>
      </div>
      {r.warnings.filter((w) => w.level !== 'ok').map((w) => (
        <p key={w.fund} className="error" role="alert" data-testid="fund-warning">
          {t(w.level === 'over' ? 'fund.warning.over' : 'fund.warning.ahead', { fund: fundName(w.fund), spent: percent(w.spentBp), elapsed: percent(w.elapsedBp), budget: money(w.budget) })}
        </p>
      ))}
      <h2>{t('fund.flows', { fund: fundName(fund) })}</h2>
      <Chart option={flowChart} testId="chart-fund-flows" />
      <table className="grid" data-testid="fund-table">
        <thead>
          <tr>
            <th>{t('fund.fund')}</th>
            <th className="num">{t('fund.income')}</th>
            <th className="num">{t('fund.spending')}</th>
            <th className="num">{t('fund.balance')}</th>
            <th className="num">{t('fund.reserve')}</th>
          </tr>
        </thead>
        <tbody>
          {r.funds.map((x) => (
            <tr key={x.fund}>
              <td>{fundName(x.fund)}</td>
              <td className="num">{money(x.totalIncome)}</td>
              <td className="num">{money(x.totalSpending)}</td>
              <td className="num">{money(x.balance)}</td>
              <td className="num">{x.reserveTenths === null ? t('none') : t('fund.months', { n: (x.reserveTenths / 10).toFixed(1) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="fund-per-head">
        {t('fund.perHead', { amount: r.perHead.perHead === null ? t('none') : money(r.perHead.perHead), persons: num(r.perHead.enrolled) })}
      </p>
      <h2>{t('fund.byLevel')}</h2>
      <Chart option={levelChart} testId="chart-fund-levels" />
      <h2>{t('fund.incomeBySource')}</h2>
      <table className="grid">
        <tbody>
          {r.incomeBySource.map((s) => (
            <tr key={`${s.fund}-${s.kind}-${s.department}`}>
              <td>{fundName(s.fund)}</td>
              <td>{t(`fund.source.${s.kind}`)}</td>
              <td>{s.department ? t(`department.${s.department}`) : t('fund.byPerson')}</td>
              <td className="num">{money(s.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('fund.subsidies', { year: String(r.year) })}</h2>
      <table className="grid" data-testid="fund-subsidies">
        <thead>
          <tr>
            <th>{t('fund.department')}</th>
            <th className="num">{t('fund.subsidyDue')}</th>
            <th className="num">{t('fund.subsidyReceived')}</th>
          </tr>
        </thead>
        <tbody>
          {r.subsidies.map((s) => (
            <tr key={s.department} className={s.received < s.due ? 'warn' : ''}>
              <td>{t(`department.${s.department}`)}</td>
              <td className="num">{money(s.due)}</td>
              <td className="num">{money(s.received)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('fund.ledger')}</h2>
      <Loading loaded={verify} />
      {verify.data ? (
        <p className={verify.data.ok ? 'ok' : 'error'} data-testid="ledger-verify">
          {verify.data.ok ? t('fund.ledgerOk', { n: num(verify.data.checks.reduce((a, c) => a + c.sources, 0)) }) : t('fund.ledgerDiffers', { difference: verify.data.firstDifference ?? '' })}
        </p>
      ) : null}
    </div>
  );
}
