/**
 * The DRG demo: a Haixi-like prefecture's DRG hospitals (two level-3, three
 * level-2), the shipped code lists, a year of discharges before the reform
 * and the reform year (costs 18 % lower), grouped, weighted, rated and paid
 * month by month under `haixi-2023` — so the console's DRG page has a story.
 */
import { importShippedCatalogues } from '../service/catalogue-import.ts';
import { importAbstracts } from '../service/drg-abstracts.ts';
import type { DrgContext } from '../service/drg-catalogues.ts';
import { groupPeriod } from '../service/drg-grouping.ts';
import { computeRates, payMonth } from '../service/drg-payments.ts';
import type { Db } from '../store/db.ts';
import { findFacilityByCode, insertFacility } from '../store/repositories/facilities.ts';
import { generateDischarges } from './drg-discharges.ts';
import { createStaff } from '../service/staff-auth.ts';
import { DEMO_PASSWORD } from './staff.ts';
import { divisionExists, findStaffByUsername, insertCounty } from '../store/repositories/staff.ts';

export const DRG_DEMO_FACILITIES = [
  { code: 'H63280000001', name: '海西州人民医院', level: 3 },
  { code: 'H63280000002', name: '格尔木市人民医院', level: 3 },
  { code: 'H63280000003', name: '德令哈市人民医院', level: 2 },
  { code: 'H63280000004', name: '都兰县人民医院', level: 2 },
  { code: 'H63280000005', name: '乌兰县人民医院', level: 2 },
] as const;

export async function loadDrgDemo(db: Db, ctx: DrgContext, options: { discharges: number; onProgress?: (stage: string, done: number, total: number) => void }): Promise<void> {
  if (!(await divisionExists(db, '632800'))) await insertCounty(db, '632800', '海西蒙古族藏族自治州');
  for (const f of DRG_DEMO_FACILITIES) {
    if (!(await findFacilityByCode(db, f.code))) await insertFacility(db, { code: f.code, name: f.name, level: f.level, divisionCode: '632800' });
  }
  // A bureau clerk of the prefecture, who sees its hospitals (staff see the hospitals of their own division).
  if (!(await findStaffByUsername(db, 'haixi'))) {
    await createStaff(db, { username: 'haixi', displayName: '海西州医保局经办', password: DEMO_PASSWORD, role: 'bureau_clerk', divisionCode: '632800' }, 'demo');
  }
  await importShippedCatalogues(db, 'demo');
  const years = [
    { year: 2022, count: Math.round(options.discharges * 0.92), costIndex: 118 },
    { year: 2023, count: options.discharges, costIndex: 100 },
  ];
  for (const y of years) {
    const list = [...generateDischarges({ count: y.count, seed: y.year, year: y.year, facilities: DRG_DEMO_FACILITIES, costIndex: y.costIndex })];
    await importAbstracts(db, ctx, { content: Buffer.from(JSON.stringify(list)), format: 'json', skipBadRows: false, actor: 'demo', ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  }
  await groupPeriod(db, ctx, { from: '2022-01-01', to: '2023-12-31', actor: 'demo', ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  await computeRates(db, ctx, { policy: 'haixi-2023', from: '2022-01-01', to: '2022-12-31', actor: 'demo' });
  for (let m = 1; m <= 12; m++) {
    await payMonth(db, ctx, { policy: 'haixi-2023', month: `2023-${String(m).padStart(2, '0')}`, actor: 'demo' });
    options.onProgress?.('paid', m, 12);
  }
}
