/** The whole demo, the same from `npm start` and `sanbao demo`: county, enrollments, staff, a year of bills. */
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { generateCounty, type DemoCounty, type DemoOptions } from './generate.ts';
import { loadCounty } from './load.ts';
import { DEMO_SETTLEMENTS, loadDemoSettlements } from './settlements.ts';
import { loadDemoStaff } from './staff.ts';
import { importReferenceCatalogues } from '../service/insurance-catalogue-import.ts';

export async function loadDemo(
  db: Db,
  policies: PolicyRegistry,
  options: DemoOptions,
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<{ county: DemoCounty; bills: number }> {
  const county = generateCounty(options);
  await loadCounty(db, policies, county, { year: options.year, notEnrolledShare: 0.01, ...(onProgress ? { onProgress } : {}) });
  await loadDemoStaff(db);
  await importReferenceCatalogues(db, 'demo');
  const bills = await loadDemoSettlements(db, policies, { ...DEMO_SETTLEMENTS, year: options.year, seed: options.seed });
  onProgress?.('bills', bills, bills);
  return { county, bills };
}
