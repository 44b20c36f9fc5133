/**
 * `sanbao catalogue import|check|list` on the configured database: the shipped
 * lists load, a file with duplicate codes or overlapping validity is refused
 * whole with its rows named (exit 2, one line), the JSON list has its contract.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_CATALOGUE_DIR } from '../src/service/insurance-catalogue-import.ts';
import { toXlsx } from '../src/service/tabular.ts';
import { cliTempDir, closeCliDatabase, openCliDatabase, runCli } from './support/cli.ts';
import type { TestDb } from './support/db.ts';

const dir = cliTempDir('sanbao-catalogue-');
let t: TestDb | undefined;

beforeAll(async () => {
  t = await openCliDatabase(dir);
});
afterAll(() => closeCliDatabase(t, dir));

const run = runCli;

const HEADER = 'code,name,kind,class,self_pay_first_resident,self_pay_first_employee,price_cap,valid_from,valid_to';

describe('sanbao catalogue', () => {
  it('checks and loads the shipped national list, region from the file name', async () => {
    const file = join(REFERENCE_CATALOGUE_DIR, 'items-national.csv');
    const check = await run('catalogue', 'check', file);
    expect(check).toMatchObject({ code: 0, err: [] });
    expect(check.out).toMatch(/^items-national\.csv: 26 row\(s\), all valid \(items, region national\)$/);
    const loaded = await run('catalogue', 'import', file);
    expect(loaded.err).toEqual([]);
    expect(loaded.code).toBe(0);
    expect(loaded.out).toMatch(/loaded 26 items entries for national/);
    const again = await run('catalogue', 'import', file);
    expect(again.out).toMatch(/already loaded/);
  });

  it('reads the same list from XLSX as from CSV (a bureau exports from Excel), bad rows named the same way', async () => {
    const csv = readFileSync(join(REFERENCE_CATALOGUE_DIR, 'items-540000.csv'), 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
    const [columns, ...rows] = csv;
    const xlsx = join(dir, 'items-540000.xlsx');
    writeFileSync(xlsx, await toXlsx([{ name: 'items', columns: columns!, rows }]));
    const fromCsv = await run('catalogue', 'check', join(REFERENCE_CATALOGUE_DIR, 'items-540000.csv'));
    const fromXlsx = await run('catalogue', 'check', xlsx);
    expect(fromXlsx).toMatchObject({ code: 0, err: [] });
    expect(fromXlsx.out.replace('.xlsx', '.csv')).toBe(fromCsv.out);
    const bad = join(dir, 'items-540001.xlsx');
    writeFileSync(bad, await toXlsx([{ name: 'items', columns: columns!, rows: [...rows, [...rows[0]!.slice(0, 3), 'D', ...rows[0]!.slice(4)]] }]));
    const refused = await run('catalogue', 'check', bad);
    expect(refused.code).toBe(2);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toMatch(new RegExp(`row ${rows.length + 2}: class "D" is not A, B, C`));
  });

  it('lists the entries in force as JSON: selfPayFirst a percentage by scheme, priceCap in fen or null', async () => {
    const res = await run('catalogue', 'list', '--format', 'json', '--date', '2025-06-01');
    expect(res.code).toBe(0);
    const list = JSON.parse(res.out) as Record<string, unknown>[];
    expect(list).toHaveLength(25); // the stent's 2024 period is not in force in June 2025
    expect(list.find((i) => i.code === 'XJ01DDC175B002')).toEqual({
      code: 'XJ01DDC175B002', name: '注射用头孢曲松钠', kind: 'western_drug', class: 'B', selfPayFirst: '10%', priceCap: 3850,
    });
    expect(list.find((i) => i.code === 'XA10BAE054A001')).toMatchObject({ class: 'A', selfPayFirst: '0%', priceCap: null });
    expect(list.find((i) => i.code === 'C0201010020000')).toMatchObject({ priceCap: 80_000, selfPayFirst: '30%' });
    const employee = JSON.parse((await run('catalogue', 'list', '--format', 'json', '--date', '2025-06-01', '--scheme', 'employee')).out);
    expect(employee.find((i: { code: string }) => i.code === 'C0201010020000').selfPayFirst).toBe('20%');
    const stent2024 = JSON.parse((await run('catalogue', 'list', '--format', 'json', '--date', '2024-06-01', '--class', 'B', '--item-kind', 'consumable')).out);
    expect(stent2024.map((i: { code: string; priceCap: number }) => [i.code, i.priceCap])).toEqual([['C0201010020000', 100_000], ['C1403010010000', 300_000]]);
  });

  it('refuses a file with duplicate codes and overlapping validity whole, rows named, nothing loaded', async () => {
    const file = join(dir, 'items-540000.csv');
    writeFileSync(file, [
      HEADER,
      'Z1,二十五味珍珠丸,patent_drug,B,5%,5%,,2024-01-01,',
      'Z2,藏药浴,service,B,10%,10%,120,2024-01-01,2024-12-31',
      'Z2,藏药浴,service,B,10%,10%,100,2024-06-01,',
      'Z1,二十五味珍珠丸,patent_drug,B,5%,5%,,2024-01-01,',
      'Z3,放血疗法,service,A,,,40,2024-01-01,',
    ].join('\n'));
    const refused = await run('catalogue', 'import', file);
    expect(refused.code).toBe(2);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toBe(
      'sanbao: CATALOGUE_REJECTED: catalogue refused, nothing loaded: 2 bad row(s): row 4: code Z2 valid 2024-06-01–… overlaps row 3 (2024-01-01–2024-12-31); row 5: duplicate code Z1 (also row 2)',
    );
    expect(JSON.parse((await run('catalogue', 'list', '--format', 'json', '--region', '540000', '--all')).out)).toEqual([]);
    const checked = await run('catalogue', 'check', file);
    expect(checked.code).toBe(2);
    expect(checked.err[0]).toMatch(/2 bad row\(s\) of 5: row 4: .*; row 5: duplicate code Z1/);
    const skipped = await run('catalogue', 'import', file, '--skip-bad-rows');
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(/loaded 3 items entries for 540000 .*skipped 2/);
  });

  it('loads the Lhasa chronic-disease list: 43 categories for both schemes from 1 Sept 2025, 36 employee / 33 resident before', async () => {
    const loaded = await run('catalogue', 'import', join(REFERENCE_CATALOGUE_DIR, 'chronic-540100.csv'));
    expect(loaded.code).toBe(0);
    const on = async (date: string) => JSON.parse((await run('catalogue', 'list', '--kind', 'chronic', '--region', '540100', '--date', date, '--format', 'json')).out) as {
      schemes: string[]; rare: boolean;
    }[];
    const before = await on('2025-08-31');
    expect(before.filter((d) => d.schemes.includes('employee'))).toHaveLength(36);
    expect(before.filter((d) => d.schemes.includes('resident'))).toHaveLength(33);
    const after = await on('2025-09-01');
    expect(after.filter((d) => !d.rare && d.schemes.length === 2)).toHaveLength(43);
    expect(after.filter((d) => d.rare).length).toBeGreaterThan(0);
  });

  it('sanbao review: the rules in force, a batch run over a period, bad dates refused', async () => {
    const rules = await run('review', 'rules');
    expect(rules.out.split('\n')).toHaveLength(9);
    expect(rules.out).toMatch(/readmission\s+on\s+\{"days":15,"sameFacility":true\}/);
    const batch = await run('review', 'run', '--from', '2025-01-01', '--to', '2025-12-31');
    expect(batch.code).toBe(0);
    expect(batch.out).toMatch(/^run #1: 0 settlements, 0 lines reviewed in [\d.]+ s; 0 new flag\(s\)$/);
    for (const argv of [['review', 'run', '--from', '2025-13-01', '--to', '2025-12-31'], ['review', 'run', '--from', '2025-02-01', '--to', '2025-01-01'], ['review', 'run']]) {
      const res = await run(...argv);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.err).toHaveLength(1);
    }
  });

  it('bad arguments: exit 2 and one line', async () => {
    for (const argv of [
      ['catalogue', 'import'],
      ['catalogue', 'import', join(dir, 'nothing.csv'), '--region', 'national'],
      ['catalogue', 'import', join(REFERENCE_CATALOGUE_DIR, 'items-national.csv'), '--region', 'Tibet'],
      ['catalogue', 'list', '--kind', 'planets'],
      ['catalogue', 'frobnicate'],
    ]) {
      const res = await run(...argv);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.err, argv.join(' ')).toHaveLength(1);
    }
  });
});
