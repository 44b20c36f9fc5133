/**
 * The campaign commands on the configured database (the embedded PostgreSQL, or a
 * fresh PostgreSQL schema in CI): bad input exits 2 with one line on stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTempDir, closeCliDatabase, openCliDatabase, runCli } from './support/cli.ts';
import type { TestDb } from './support/db.ts';
import { readPdf } from './support/pdf-text.ts';
import { idNumber, rosterCsv } from './support/enrollment-fixture.ts';

const dir = cliTempDir('sanbao-cli-');
let t: TestDb | undefined;

beforeAll(async () => {
  t = await openCliDatabase(dir);
});
afterAll(() => closeCliDatabase(t, dir));

const run = runCli;

describe('sanbao demo, roster, campaign, payment, report', () => {
  it('loads the small demo county once, from a seed', async () => {
    const first = await run('demo', '--seed', '11');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/400 people in \d+ households, 4 townships/);
    const again = await run('demo');
    expect(again.code).toBe(2);
    expect(again.err).toHaveLength(1);
    expect(again.err[0]).toMatch(/already holds people/);
  });

  it('refuses a roster with bad rows on one line naming each, and imports without them on request', async () => {
    const file = join(dir, 'dibao.csv');
    writeFileSync(file, rosterCsv([{ id: idNumber(1) }, { id: '513330199001011230' }, { id: idNumber(2), division: '513330999001' }]));
    const args = ['roster', 'import', file, '--mode', 'add', '--department', 'civil_affairs', '--identity', 'minimum_living', '--from', '2025-01-01', '--division', '513330'];
    const refused = await run(...args);
    expect(refused.code).toBe(2);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toMatch(/ROSTER_REJECTED: .*2 bad row\(s\): row 3: .*; row 4: division 513330999001 is not a known division/);
    const dry = await run(...args, '--skip-bad-rows', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^dry run, nothing written: add 1 of 3 rows/);
    const skipped = await run(...args, '--skip-bad-rows');
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(/roster #\d+: add 1 of 3 rows for 513330; 1 people registered \(1 households\), 1 identities added, 0 ended \(0 people no longer listed\)/);
    expect(skipped.out).toMatch(/skipped row 3: /);
    const list = await run('roster', 'list');
    expect(list.out).toMatch(/#\d+ {2}add {2}civil_affairs\/minimum_living {2}513330/);
  });

  it('replaces a county list only with the mode, the division and the confirmed number of statuses it ends', async () => {
    const file = join(dir, 'dibao-short.csv');
    writeFileSync(file, rosterCsv([{ id: idNumber(1) }]));
    const base = ['roster', 'import', file, '--department', 'civil_affairs', '--identity', 'minimum_living', '--from', '2025-07-01'];
    for (const argv of [base, [...base, '--mode', 'replace'], [...base, '--mode', 'all', '--division', '513330']]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
    }
    expect((await run(...base)).err[0]).toMatch(/--mode is required/);
    const replace = [...base, '--mode', 'replace', '--division', '513330'];
    const dry = await run(...replace, '--dry-run');
    const ends = Number(/\((\d+) people no longer listed\)/.exec(dry.out)![1]);
    expect(ends).toBeGreaterThan(10);
    expect(dry.out).toContain(`--confirm-end ${ends}`);
    const unconfirmed = await run(...replace);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toEqual([expect.stringMatching(new RegExp(`CONFIRM_END_REQUIRED: this roster would end the minimum_living status of ${ends} people`))]);
    const confirmed = await run(...replace, '--confirm-end', String(ends));
    expect(confirmed.code).toBe(0);
    expect(confirmed.out).toMatch(new RegExp(`\\(${ends} people no longer listed\\)`));
  });

  it('opens the campaign, takes a payment and reports coverage as CSV', async () => {
    const open = await run('campaign', 'open', '--year', '2025');
    expect(open.code).toBe(0);
    expect(open.out).toMatch(/campaign 2025 for 513330 \(dege-2025\): 1 enrollments created/);
    // Issue 13: a 2025 contribution paid on 2026-11-27 buys no cover: refused on one line, nothing written.
    const late = await run('payment', 'record', '--person', idNumber(1), '--year', '2025', '--amount', '100', '--paid-on', '2026-11-27');
    expect(late.code).toBe(2);
    expect(late.err).toEqual([expect.stringMatching(/^sanbao: NO_COVER_LEFT: paid on 2026-11-27 outside the collection window/)]);
    const over = await run('payment', 'record', '--person', idNumber(1), '--year', '2025', '--amount', '500', '--paid-on', '2024-11-15');
    expect(over.err).toEqual(['sanbao: OVERPAYMENT: 500.00 yuan is more than the 100.00 yuan still due']);
    const pay = await run('payment', 'record', '--person', idNumber(1), '--year', '2025', '--amount', '100', '--reference', 'R-77', '--paid-on', '2024-11-15');
    expect(pay.out).toMatch(/^payment #(\d+), receipt SB2025-\d{8}: 100\.00 yuan for person \d+, 2025; paid 100\.00 of 100\.00 yuan, enrolled/);
    expect(pay.out).toContain('paid in the collection window; cover starts on 2025-01-01');
    const paymentId = /^payment #(\d+)/.exec(pay.out)![1]!;
    const receiptFile = join(dir, 'receipt.html');
    const receipt = await run('payment', 'receipt', '--id', paymentId, '--out', receiptFile);
    expect(receipt.code).toBe(0);
    expect(readFileSync(receiptFile, 'utf8')).toContain('缴费凭证');
    // The PDF, in Tibetan: its text read back; a language it does not print is one line on stderr.
    const pdfFile = join(dir, 'receipt.pdf');
    const pdf = await run('payment', 'receipt', '--id', paymentId, '--out', pdfFile, '--lang', 'bo');
    expect(pdf.out).toMatch(/^receipt SB2025-\d{8} of payment #\d+ written to .*receipt\.pdf \(PDF, bo\)/);
    expect(readPdf(readFileSync(pdfFile)).pages[0]).toContain('ཐེངས་འདིའི་དངུལ་སྤྲོད།¥ 100.00 སྒོར།');
    const english = await run('payment', 'receipt', '--id', paymentId, '--out', pdfFile, '--lang', 'en');
    expect(english.code).toBe(2);
    expect(english.err).toEqual(['sanbao: --lang is zh-CN or bo']);
    const taxFile = join(dir, 'tax.csv');
    writeFileSync(taxFile, `voucher_no,id_number,year,amount,paid_on\nT-77,${idNumber(1)},2025,100.00,2024-11-15\nT-78,${idNumber(2)},2025,40,2024-11-16\n`);
    const tax = await run('payment', 'tax-import', taxFile);
    expect(tax.out).toMatch(/^tax import #\d+: 2 rows, 2 vouchers new \(140\.00 yuan\), 0 imported before; years 2025/);
    const reconciled = await run('payment', 'reconcile', '--year', '2025');
    expect(reconciled.out).toMatch(/reconciliation 2025, 513330: 1 matched, 1 only in the tax file, \d+ only in Sanbao, 0 amount differs/);
    expect(reconciled.out).toMatch(/only_in_tax +513330\*{8}\d{3}[\dX] +not in the register +tax 40\.00/);
    const badTax = join(dir, 'tax-bad.csv');
    writeFileSync(badTax, 'voucher_no,id_number,year,amount,paid_on\nT-90,1,2025,x,2024-11-15\n');
    const refusedTax = await run('payment', 'tax-import', badTax);
    expect(refusedTax.code).toBe(2);
    expect(refusedTax.err).toEqual([expect.stringMatching(/^sanbao: TABLE_REJECTED: tax collection file refused, nothing imported: 1 bad row\(s\): row 2: ID number/)]);
    const status = await run('campaign', 'status', '--year', '2025', '--json');
    expect(JSON.parse(status.out)).toMatchObject({ persons: 401 });
    const file = join(dir, 'coverage.csv');
    const report = await run('report', 'coverage', '--year', '2025', '--format', 'csv', '--out', file);
    expect(report.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^\ufeffdivision_code,division,level,target,enrolled/);
  });

  it('exits 2 with one line on bad input', async () => {
    for (const argv of [
      ['campaign', 'open'],
      ['campaign', 'open', '--year', 'next'],
      ['payment', 'record', '--person', idNumber(1), '--year', '2025', '--amount', '1.234'],
      ['report', 'coverage', '--year', '2025', '--format', 'pdf', '--out', 'x.pdf'],
      ['roster', 'import', 'missing.csv', '--department', 'civil_affairs', '--identity', 'poor', '--from', '2025-01-01'],
      ['demo', '--size', 'huge'],
      ['campaign', 'open', '--year', '2025', '--bogus'],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
    }
  });
});
