/** `sanbao catalogue` and `sanbao drg` on the embedded database: the whole chain from files, and bad input on one line. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDischarges } from '../src/demo/drg-discharges.ts';
import { formatYuan } from '../src/domain/money.ts';
import { openDatabase } from '../src/store/open.ts';
import { insertFacility } from '../src/store/repositories/facilities.ts';
import { DRG_FACILITIES, DRG_POLICY_DIR } from './support/drg-fixture.ts';
import { spawnCli } from './support/service-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-drg-'));
chmodSync(dir, 0o755); // run as root, the embedded PostgreSQL's own user must pass through to data/
/** Runs the CLI without blocking the test worker (the machine may be slow). */
const run = (...args: string[]) => spawnCli(args, { env: { SANBAO_DATA_DIR: dir, DATABASE_URL: '', SANBAO_DRG_POLICY_DIR: DRG_POLICY_DIR } });
const yuan = (fen: number) => formatYuan(fen).replaceAll(',', '');

function csvOf(year: number, count: number): string {
  const lines = ['fixmedins_code,setl_id,psn_no,gend,age,adm_time,dscg_time,ipt_days,dscg_way,main_diag_code,other_diag_codes,main_oprn_code,other_oprn_codes,medfee_sumamt,psn_selfpay,fund_pay_sumamt'];
  for (const d of generateDischarges({ count, seed: year, year, facilities: DRG_FACILITIES, costIndex: year === 2022 ? 118 : 100 })) {
    const diag = d.diseinfo as { diag_code: string }[];
    const oprn = d.oprninfo as { oprn_oprt_code: string }[];
    lines.push([d.fixmedins_code, d.setl_id, d.psn_no, d.gend, d.age, d.adm_time, d.dscg_time, d.ipt_days, d.dscg_way, diag[0]!.diag_code, diag.slice(1).map((x) => x.diag_code).join('|'),
      oprn[0]?.oprn_oprt_code ?? '', oprn.slice(1).map((x) => x.oprn_oprt_code).join('|'), yuan(d.medfee_sumamt as number), yuan(d.psn_selfpay as number), yuan(d.fund_pay_sumamt as number)].join(','));
  }
  return lines.join('\n');
}

beforeAll(async () => {
  const db = await openDatabase({ dataDir: dir });
  await db.query(`INSERT INTO divisions (code, name, level) VALUES ('632800', '海西州', 1)`);
  await insertFacility(db, { code: 'HX3', name: '海西州人民医院', level: 3, divisionCode: '632800' });
  await insertFacility(db, { code: 'HX2', name: '德令哈市人民医院', level: 2, divisionCode: '632800' });
  await db.close();
  writeFileSync(join(dir, 'history.csv'), `${csvOf(2022, 300)}\n${csvOf(2023, 150).split('\n').slice(1).join('\n')}`);
  writeFileSync(join(dir, 'bad-codes.csv'), 'code,name_zh\nI21.0,急性心肌梗死\nXX1,坏\n');
  writeFileSync(join(dir, 'bad-lists.csv'), `${csvOf(2023, 2)}\nHX3,X-1,P1,1,60,2023-03-01,2023-03-08,7,1,,,,,100,0,0\n`);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sanbao catalogue and drg', { timeout: 400_000 }, () => {
  it('imports the code lists, lists them, and refuses a bad list on one line', async () => {
    for (const kind of ['diagnoses', 'procedures']) {
      const r = await run('catalogue', 'import', '--kind', kind, `catalogues/${kind}.csv`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/rows read, \d+ added/);
    }
    expect((await run('catalogue', 'list', '--kind', 'diagnoses', '--prefix', 'B67')).stdout).toMatch(/B67.000 .*肝细粒棘球蚴病/);
    const bad = await run('catalogue', 'import', '--kind', 'diagnoses', join(dir, 'bad-codes.csv'));
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/row 3 code: "XX1" is not a diagnosis code/);
  });

  it('imports settlement lists, groups, computes rates, pays and reports', async () => {
    const imported = await run('drg', 'import', join(dir, 'history.csv'));
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^450 settlement lists: 450 added/);
    const grouped = await run('drg', 'group', '--from', '2022-01-01', '--to', '2023-12-31');
    expect(grouped.stdout).toMatch(/table illustrative-2025: 450 discharges, \d+ grouped into \d+ DRGs, \d+ ungroupable \(.*NOT_PRINCIPAL/);
    const rates = await run('drg', 'rates', '--policy', 'test-2023', '--history-year', '2022');
    expect(rates.status, rates.stderr).toBe(0);
    expect(rates.stdout).toMatch(/level 3: budget 1,800,000.00 yuan over weights [\d.]+ → base rate [\d,.]+ yuan/);
    const paid = await run('drg', 'pay', '--policy', 'test-2023', '--month', '2023-06');
    expect(paid.stdout).toMatch(/test-2023 2023-06: \d+ discharges \(.*standard \d+/);
    const report = await run('drg', 'report', '--policy', 'test-2023');
    expect(report.stdout).toMatch(/coverage: 150 discharges/);
    expect(report.stdout).toMatch(/level 3: [\d,.]+ yuan, [\d.]+ days \(\d+\) → /);
    expect(JSON.parse((await run('drg', 'report', '--policy', 'test-2023', '--json')).stdout).surplus).toHaveLength(2);
  });

  it('refuses bad input with exit 2 and one line', async () => {
    for (const args of [
      ['drg', 'import', join(dir, 'bad-lists.csv')],
      ['drg', 'import', join(dir, 'missing.csv')],
      ['drg', 'group', '--year', '20x3'],
      ['drg', 'group', '--year', '2023', '--table', 'nope'],
      ['drg', 'rates', '--policy', 'test-2023', '--history-year', '2030'],
      ['drg', 'pay', '--policy', 'test-2023', '--month', '2023-13'],
      ['drg', 'report', '--policy', 'nope-1'],
      ['drg', 'frobnicate'],
      ['catalogue', 'list', '--kind', 'drugs'],
    ]) {
      const r = await run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect((await run('drg', 'import', join(dir, 'bad-lists.csv'))).stderr).toMatch(/row 4 diseinfo: lists no diagnosis/);
  });
});
