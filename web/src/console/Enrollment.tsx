/** The enrollment campaign: coverage by township and village, and the not-enrolled list (the enrollment API of #4). */
import { useEffect, useState } from 'react';
import { get } from '../api-client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Link, Loading, useLoad } from '../ui.tsx';
import type { Staff } from './ConsoleApp.tsx';
import { ExportLinks, Pager, YearSelect } from './list-tools.tsx';
import { divisionName } from './Persons.tsx';

const PAGE = 100;
import { defaultYear } from './year.ts';

export function EnrollmentPage({ staff }: { staff: Staff }) {
  const { t, num, percent, money, list, lang } = useI18n();
  const [year, setYear] = useState<number>();
  const [division, setDivision] = useState(staff.divisionCode);
  const [latest, setLatest] = useState<number>();
  const [offset, setOffset] = useState(0);
  useEffect(() => void defaultYear().then((y) => (setYear(y), setLatest(y))), []);
  useEffect(() => setOffset(0), [year, division]);
  const coverage = useLoad(
    () => (year ? get('/api/v1/enrollment/coverage', {}, { year, division }) : new Promise<never>(() => undefined)),
    [year, division],
  );
  const unenrolled = useLoad(
    () => (year ? get('/api/v1/enrollment/unenrolled', {}, { year, division, limit: PAGE, offset }) : new Promise<never>(() => undefined)),
    [year, division, offset],
  );
  return (
    <section>
      <h1>
        {t('nav.enrollment')} {year ?? ''}
      </h1>
      {year && latest ? (
        <div className="searchbar">
          <YearSelect value={year} years={[latest + 1, ...Array.from({ length: 5 }, (_, i) => latest - i)]} onChange={(y) => y && setYear(y)} />
          <ExportLinks url={`/api/v1/enrollment/coverage?year=${year}&division=${division}`} />
        </div>
      ) : null}
      {division !== staff.divisionCode ? (
        <p>
          <button type="button" onClick={() => setDivision(staff.divisionCode)}>
            ← {t('back')}
          </button>
        </p>
      ) : null}
      <h2>{t('enrollment.byTownship')}</h2>
      <Loading loaded={coverage} />
      {coverage.data ? (
        <table className="grid" data-testid="coverage">
          <thead>
            <tr>
              <th />
              <th className="num">{t('enrollment.persons')}</th>
              <th className="num">{t('enrollment.enrolledCount')}</th>
              <th className="num">{t('enrollment.notEnrolled')}</th>
              <th>{t('enrollment.coverage')}</th>
            </tr>
          </thead>
          <tbody>
            {coverage.data.lines.map((l) => (
              <tr key={l.code} className={`level-${l.level}`}>
                <td>
                  {l.level < 3 && l.code !== division ? (
                    <a href="#" onClick={(e) => (e.preventDefault(), setDivision(l.code))}>
                      {divisionName(lang, l)}
                    </a>
                  ) : (
                    divisionName(lang, l)
                  )}{' '}
                  <small className="muted">{l.code}</small>
                </td>
                <td className="num">{num(l.target)}</td>
                <td className="num">{num(l.enrolled)}</td>
                <td className="num">{num(l.notEnrolled)}</td>
                <td>
                  <div className="bar" title={percent(l.rate)}>
                    <span style={{ width: `${Math.floor(l.rate / 100)}%` }} />
                  </div>{' '}
                  {percent(l.rate)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>
        {t('enrollment.notEnrolled')} {unenrolled.data ? `(${num(unenrolled.data.total)})` : ''}
      </h2>
      <Loading loaded={unenrolled} />
      {unenrolled.data && year ? (
        <div className="searchbar">
          <Pager total={unenrolled.data.total} offset={offset} limit={PAGE} onOffset={setOffset} />
          <ExportLinks url={`/api/v1/enrollment/unenrolled?year=${year}&division=${division}`} />
        </div>
      ) : null}
      {unenrolled.data ? (
        <table className="grid" data-testid="unenrolled">
          <thead>
            <tr>
              <th>{t('person.name')}</th>
              <th>{t('person.idNumber')}</th>
              <th>{t('person.phone')}</th>
              <th>{t('enrollment.village')}</th>
              <th>{t('person.identities')}</th>
              <th className="num">{t('enrollment.individual')}</th>
            </tr>
          </thead>
          <tbody>
            {unenrolled.data.people.map((p) => (
              <tr key={p.personId}>
                <td>
                  <Link to={`/console/persons/${p.personId}`}>{p.name}</Link>
                </td>
                <td className="mono">{p.idNumber}</td>
                <td className="mono">{p.phone ?? '—'}</td>
                <td>{divisionName(lang, { name: p.divisionName, nameBo: p.divisionNameBo, nameEn: p.divisionNameEn })}</td>
                <td>{list(p.identities.map((i) => t(`identity.${i}`))) || '—'}</td>
                <td className="num">{p.due === null ? '—' : money(p.due)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
