/** Facility codes in the national 12-character form: the rule, and the migration of codes stored before it. */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { facilityCodeProblem } from '../src/domain/facility-code.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite-db.ts';
import { verifyAuditChain } from '../src/store/repositories/audit-chain.ts';
import { findFacilityByApiKey, insertFacility } from '../src/store/repositories/facilities.ts';

describe('facility code form', () => {
  it.each([
    ['H51333000001', '513330', null],
    ['H51333000101', '513330001', null],
    ['H54010200001', '540102', null],
    ['H1', '513330', /national form/],
    ['h51333000001', '513330', /national form/],
    ['H5133300000', '513330', /national form/],
    ['H513330000012', '513330', /national form/],
    ['X51333000001', '513330', /national form/],
    ['H54010200001', '513330', /division 513330/],
  ])('%s for division %s', (code, division, expected) => {
    const problem = facilityCodeProblem(code, division);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('migration 202611271100: stored codes take the national form', () => {
  it('renumbers old codes per division, keeps national ones and keys, and audits each change', async () => {
    const all = fileURLToPath(new URL('../src/store/migrations', import.meta.url));
    const old = mkdtempSync(join(tmpdir(), 'sanbao-mig-'));
    for (const f of readdirSync(all).filter((f) => f < '202611271100')) copyFileSync(join(all, f), join(old, f));
    const db = await openPglite();
    try {
      await migrate(db, old);
      await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('513330', '德格县', 1, NULL), ('513330001', '更庆镇', 2, '513330'), ('540102', '城关区', 1, NULL)`);
      await insertFacility(db, { code: 'H51333000002', name: 'already national', level: 2, divisionCode: '513330', apiKey: 'k0' });
      await insertFacility(db, { code: 'H513330001', name: '德格县人民医院', level: 2, divisionCode: '513330', apiKey: 'k1' });
      await insertFacility(db, { code: 'H513330101', name: '更庆镇卫生院', level: 1, divisionCode: '513330001', apiKey: 'k2' });
      await insertFacility(db, { code: 'H540102001', name: '西藏自治区人民医院', level: 3, divisionCode: '540102', apiKey: 'k3' });
      await migrate(db);
      const rows = await db.query<{ code: string; former_code: string | null }>(`SELECT code, former_code FROM facilities ORDER BY id`);
      expect(rows).toEqual([
        { code: 'H51333000002', former_code: null },
        { code: 'H51333000001', former_code: 'H513330001' },
        { code: 'H51333000003', former_code: 'H513330101' },
        { code: 'H54010200001', former_code: 'H540102001' },
      ]);
      expect((await findFacilityByApiKey(db, 'k1'))?.code).toBe('H51333000001');
      const audited = await db.query<{ actor: string; action: string; detail: unknown }>(`SELECT actor, action, detail FROM audit_log WHERE action = 'facility.recode' ORDER BY id`);
      expect(audited).toEqual([
        { actor: 'system', action: 'facility.recode', detail: { from: 'H513330001', to: 'H51333000001' } },
        { actor: 'system', action: 'facility.recode', detail: { from: 'H513330101', to: 'H51333000003' } },
        { actor: 'system', action: 'facility.recode', detail: { from: 'H540102001', to: 'H54010200001' } },
      ]);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    } finally {
      await db.close();
      rmSync(old, { recursive: true, force: true });
    }
  });
});
