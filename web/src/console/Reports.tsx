/**
 * Reports with charts (Apache ECharts, loaded on demand): enrolled people over
 * time, payments by fund and month, alerts by department, and the subsidy
 * figures of the enrollment campaign. Amounts stay in fen; labels format them.
 */
import { useEffect, useRef, useState } from 'react';
import type { EChartsOption } from 'echarts';
import { get } from '../api-client.ts';
import { FUNDS } from '../explain.tsx';
import { useI18n } from '../i18n/index.tsx';
import { Loading, useLoad } from '../ui.tsx';
import { ExportLinks, YearSelect } from './list-tools.tsx';
import { divisionName } from './Persons.tsx';
import { defaultYear } from './year.ts';

const never = () => new Promise<never>(() => undefined);

export function ReportsPage() {
  const { t, money, num, lang } = useI18n();
  const [year, setYear] = useState<number>();
  const [latest, setLatest] = useState<number>();
  useEffect(() => void defaultYear().then((y) => (setYear(y), setLatest(y))), []);
  const data = useLoad(
    () =>
      year
        ? Promise.all([
            get('/api/v1/console/reports/coverage', {}, { year }),
            get('/api/v1/console/reports/payments', {}, { year }),
            get('/api/v1/console/reports/alerts', {}, { year }),
            get('/api/v1/enrollment/subsidies', {}, { year }).catch(() => undefined),
          ])
        : never(),
    [year],
  );
  if (!data.data) return <Loading loaded={data} />;
  const [coverage, payments, alerts, subsidies] = data.data;
  const months = [...new Set(payments.byMonth.map((r) => r.month))].sort();
  const departments = [...new Set(alerts.byDepartment.map((r) => r.department))];
  const axisMoney = { axisLabel: { formatter: (v: number) => money(Math.round(v)) } };

  const coverageChart: EChartsOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 10, right: 20, top: 50, bottom: 10, containLabel: true },
    xAxis: { type: 'category', data: coverage.overTime.map((p) => p.day) },
    yAxis: { type: 'value', min: 0, max: coverage.persons || undefined },
    series: [{ name: t('enrollment.enrolledCount'), type: 'line', step: 'end', areaStyle: {}, data: coverage.overTime.map((p) => p.enrolled) }],
  };
  const townshipChart: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 10, right: 20, top: 50, bottom: 10, containLabel: true },
    xAxis: { type: 'category', data: coverage.byTownship.map((r) => divisionName(lang, r)), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value' },
    series: [
      { name: t('enrollment.persons'), type: 'bar', data: coverage.byTownship.map((r) => r.persons) },
      { name: t('enrollment.enrolledCount'), type: 'bar', data: coverage.byTownship.map((r) => r.enrolled) },
    ],
  };
  const paymentsChart: EChartsOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => money(Number(v)) },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 10, right: 20, top: 50, bottom: 10, containLabel: true },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', ...axisMoney },
    series: FUNDS.map((fund) => ({
      name: t(`fund.${fund}`),
      type: 'bar' as const,
      stack: 'funds',
      data: months.map((m) => payments.byMonth.find((r) => r.month === m && r.fund === fund)?.amount ?? 0),
    })),
  };
  const alertsChart: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 10, right: 20, top: 50, bottom: 10, containLabel: true },
    xAxis: { type: 'category', data: departments.map((d) => t(`department.${d}`)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: ['becoming_poor', 'falling_back'].map((risk) => ({
      name: t(`monitoring.risk.${risk}`),
      type: 'bar' as const,
      stack: 'risk',
      data: departments.map((d) => alerts.byDepartment.find((r) => r.department === d && r.risk === risk)?.alerts ?? 0),
    })),
  };

  return (
    <section data-testid="reports">
      <h1>
        {t('nav.reports')} {year}
      </h1>
      <div className="searchbar">
        <YearSelect value={year} years={latest ? Array.from({ length: 5 }, (_, i) => latest - i) : []} onChange={(y) => y && setYear(y)} />
        <ExportLinks url={`/api/v1/enrollment/coverage?year=${year}`} />
      </div>
      <p className="lead" data-testid="reports-summary">
        {t('reports.summary', { year: String(year), n: num(payments.settlements), total: money(payments.total), selfPay: money(payments.selfPay) })}
      </p>
      <div className="charts">
        <figure className="card">
          <figcaption>{t('reports.coverage')}</figcaption>
          <Chart option={coverageChart} testId="chart-coverage" />
        </figure>
        <figure className="card">
          <figcaption>{t('enrollment.byTownship')}</figcaption>
          <Chart option={townshipChart} testId="chart-townships" />
        </figure>
        <figure className="card">
          <figcaption>{t('reports.payments')}</figcaption>
          <Chart option={paymentsChart} testId="chart-payments" />
        </figure>
        <figure className="card">
          <figcaption>{t('reports.alerts')}</figcaption>
          <Chart option={alertsChart} testId="chart-alerts" />
        </figure>
      </div>
      {subsidies ? (
        <>
          <h2>{t('enrollment.subsidy')}</h2>
          <ExportLinks url={`/api/v1/enrollment/subsidies?year=${year}`} />
          <table className="grid" data-testid="subsidies">
            <thead>
              <tr>
                <th>{t('monitoring.departments')}</th>
                <th>{t('person.identities')}</th>
                <th className="num">{t('enrollment.persons')}</th>
                <th className="num">{t('enrollment.subsidy')}</th>
              </tr>
            </thead>
            <tbody>
              {subsidies.lines.map((l, i) => (
                <tr key={i}>
                  <td>{l.department ? t(`department.${l.department}`) : t('none')}</td>
                  <td>
                    {l.identity ? t(`identity.${l.identity}`) : t('none')} <small className="muted">{l.kind ? t(`subsidy.kind.${l.kind}`) : ''}</small>
                  </td>
                  <td className="num">{num(l.persons)}</td>
                  <td className="num">{money(l.subsidy)}</td>
                </tr>
              ))}
              <tr className="strong">
                <td colSpan={2}>{t('total')}</td>
                <td className="num">{num(subsidies.total.persons)}</td>
                <td className="num">{money(subsidies.total.subsidy)}</td>
              </tr>
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

export function Chart({ option, testId }: { option: EChartsOption; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { setOption(o: EChartsOption): void; dispose(): void; resize(): void } | undefined;
    let live = true;
    const resize = () => chart?.resize();
    void import('echarts').then((echarts) => {
      if (!live || !ref.current) return;
      chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
      // The page's own font list, so that ECharts measures the text it draws (Tibetan labels included).
      chart.setOption({ animation: false, textStyle: { fontFamily: getComputedStyle(ref.current).fontFamily }, ...option });
      ref.current.dataset.rendered = 'true';
      addEventListener('resize', resize);
    });
    return () => {
      live = false;
      removeEventListener('resize', resize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={ref} className="chart" data-testid={testId} />;
}
