/** A prefecture with DRG hospitals at levels 3 and 2, the shipped code lists, and generated discharges of two years. */
import { fileURLToPath } from 'node:url';
import { generateDischarges } from '../../src/demo/drg-discharges.ts';
import { importAbstracts } from '../../src/service/drg-abstracts.ts';
import type { DrgContext } from '../../src/service/drg-catalogues.ts';
import { importShippedCatalogues } from '../../src/service/catalogue-import.ts';
import type { Db } from '../../src/store/db.ts';
import { insertFacility } from '../../src/store/repositories/facilities.ts';

/** The test's own DRG policies (budgets sized to the generated history), so editing drg/policies never breaks a test. */
export const DRG_POLICY_DIR = fileURLToPath(new URL('../fixtures/drg', import.meta.url));

export const DRG_KEYS = { h3: 'sb_test_haixi_people_hospital', h2: 'sb_test_delingha_hospital' } as const;
export const DRG_FACILITIES = [{ code: 'HX3', level: 3 }, { code: 'HX2', level: 2 }] as const;

export async function seedDrg(db: Db, ctx: DrgContext, counts: { 2022: number; 2023: number }): Promise<{ h3: number; h2: number }> {
  // In the county of the demo staff, who see the hospitals of their own division only.
  await db.query(`INSERT INTO divisions (code, name, level) VALUES ('513330', '德格县', 1) ON CONFLICT DO NOTHING`);
  const h3 = await insertFacility(db, { code: 'HX3', name: '海西州人民医院', level: 3, divisionCode: '513330', apiKey: DRG_KEYS.h3 });
  const h2 = await insertFacility(db, { code: 'HX2', name: '德令哈市人民医院', level: 2, divisionCode: '513330', apiKey: DRG_KEYS.h2 });
  await importShippedCatalogues(db, 'test');
  for (const [year, count, costIndex] of [[2022, counts[2022], 118], [2023, counts[2023], 100]] as const) {
    const list = [...generateDischarges({ count, seed: year, year, facilities: DRG_FACILITIES, costIndex })];
    await importAbstracts(db, ctx, { content: Buffer.from(JSON.stringify(list)), format: 'json', skipBadRows: false, actor: 'test' });
  }
  return { h3: h3.id, h2: h2.id };
}
