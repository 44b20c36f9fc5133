/**
 * Issue 13: premiums are collected by the tax bureau; its collection file is
 * imported row by row and reconciled with Sanbao's own payments (matched /
 * only in the tax file / only in Sanbao / amount differs). And every payment
 * prints as a receipt in Chinese and Tibetan.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import { loadDemoStaff, DEMO_PASSWORD } from '../src/demo/staff.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { xlsxBomb } from './support/zip-bomb.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
const tokens: Record<string, string> = {};
let paymentId = 0;
const stranger = makeIdNumber('513330', '1990-05-05', 321, 'F');

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  for (const username of ['clerk', 'auditor']) {
    tokens[username] = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password: DEMO_PASSWORD } })).json().token;
  }
  const paid = await app.inject({
    method: 'POST', url: '/api/v1/payments', headers: as('clerk'),
    payload: { personId: f.pending.id, year: 2025, amount: 40_000, paidOn: '2024-11-20', method: 'mobile', reference: 'WX-9' },
  });
  paymentId = paid.json().payment.id;
  // Sanbao's own records for two more people: one the tax file lacks, one it has with another amount.
  await t.db.query(`INSERT INTO payments (person_id, year, kind, amount_fen, recorded_by, paid_on) VALUES ($1, 2025, 'individual', 10000, 'test', '2024-11-02'), ($2, 2025, 'individual', 5000, 'test', '2024-11-03')`, [f.poor.id, f.extreme.id]);
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const csv = (rows: string[]) => Buffer.from(['完税凭证号,身份证号,姓名,缴费年度,缴费金额,缴费日期', ...rows].join('\n')).toString('base64');
const upload = (content: string, extra: Record<string, unknown> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/tax-collections', headers: as('clerk'), payload: { fileName: 'tax-2025.csv', contentBase64: content, ...extra } });
const good = () => [
  `T-1,${f.pending.idNumber},测试5,2025,400.00,2024-11-20`,
  `T-2,${f.plain.idNumber},测试1,2025,400,2024-11-21`,
  `T-3,${stranger},陌生,2025,400,2024-11-22`,
  `T-4,${f.extreme.idNumber},测试3,2025,60,2024-11-23`,
];
async function stored() {
  const [row] = await t.db.query<{ vouchers: number; imports: number }>(
    'SELECT (SELECT count(*)::int FROM tax_collections) AS vouchers, (SELECT count(*)::int FROM tax_collection_imports) AS imports',
  );
  return row!;
}

describe('the tax bureau’s collection file', () => {
  it('refuses a file with bad rows whole, naming each row, and writes nothing', async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const res = await upload(csv([
      ...good(),
      `T-5,${f.plain.idNumber.slice(0, 17)}${f.plain.idNumber.endsWith('1') ? '2' : '1'},x,2025,400,2024-11-20`,
      `T-6,${f.plain.idNumber},x,2025,1.234,2024-11-20`,
      `T-1,${f.plain.idNumber},x,2025,400,2024-11-20`,
      `T-7,${f.plain.idNumber},x,next,400,${tomorrow}`,
    ]));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('TABLE_REJECTED');
    const problems = res.json().problems as { row: number; reason: string }[];
    expect(problems.map((p) => p.row)).toEqual([6, 7, 8, 9]);
    expect(problems[0]!.reason).toMatch(/check digit/);
    expect(problems[1]!.reason).toMatch(/^amount: /);
    expect(problems[2]!.reason).toMatch(/same voucher number as row 2/);
    expect(problems[3]!.reason).toMatch(/year "next" is not a year; paid-on .* is after today/);
    expect(await stored()).toEqual({ vouchers: 0, imports: 0 });
  });

  it('refuses a file without its columns, and an archive that unpacks too big before unpacking it', async () => {
    const res = await upload(Buffer.from('身份证号,金额\n1,2\n').toString('base64'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_TABLE', field: 'file' });
    expect(res.json().error.message).toMatch(/voucher_no/);
    const bomb = await upload(xlsxBomb(620_000).toString('base64'), { fileName: 'tax.xlsx' });
    expect(bomb.statusCode).toBe(413);
    expect(await stored()).toEqual({ vouchers: 0, imports: 0 });
  });

  it('previews, imports, and changes nothing when the same file comes again', async () => {
    const dry = await upload(csv(good()), { dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, importId: null, imported: 4, amount: 126_000 });
    expect(await stored()).toEqual({ vouchers: 0, imports: 0 });
    const first = await upload(csv(good()));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ imported: 4, alreadyImported: 0, amount: 126_000, years: [2025] });
    const again = await upload(csv(good()));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ importId: null, imported: 0, alreadyImported: 4 });
    expect(await stored()).toEqual({ vouchers: 4, imports: 1 });
    const changed = await upload(csv([`T-2,${f.plain.idNumber},测试1,2025,500,2024-11-21`]));
    expect(changed.statusCode).toBe(422);
    expect(changed.json().problems).toEqual([{ row: 2, reason: 'voucher T-2 was imported before with other figures' }]);
  });

  it('reconciles with Sanbao’s payments: matched, only in the tax file, only in Sanbao, amount differs — ID numbers masked', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/tax-collections/reconciliation?year=2025&division=513330', headers: as('clerk') });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.counts).toEqual({ matched: 1, only_in_tax: 2, only_in_sanbao: 1, amount_differs: 1 });
    expect(r.totals).toEqual({ tax: 126_000, sanbao: 55_000 });
    const byStatus = (s: string) => r.lines.filter((l: { status: string }) => l.status === s);
    expect(byStatus('amount_differs')).toEqual([expect.objectContaining({ personId: f.extreme.id, tax: 6_000, sanbao: 5_000, difference: 1_000 })]);
    expect(byStatus('only_in_sanbao')).toEqual([expect.objectContaining({ personId: f.poor.id, tax: null, sanbao: 10_000 })]);
    expect(byStatus('only_in_tax').map((l: { personId: number | null }) => l.personId).sort()).toEqual([f.plain.id, null].sort());
    expect(JSON.stringify(r)).not.toContain(stranger);
    expect(r.lines[0].idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const unmasked = await app.inject({ method: 'GET', url: '/api/v1/tax-collections/reconciliation?year=2025&division=513330&unmask=true', headers: as('auditor') });
    expect(unmasked.statusCode).toBe(403);
  });
});

describe('the printable receipt', () => {
  it('shows the receipt number, yuan, the cover day, Chinese and Tibetan, and a masked ID number', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}/receipt`, headers: as('clerk') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    // Its own stylesheet only, by hash; no script.
    expect(res.headers['content-security-policy']).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'; /);
    expect(res.headers['content-security-policy']).toContain("script-src 'none'");
    const html = res.body;
    expect(html).toMatch(/No\. SB2025-\d{8}/);
    expect(html).toContain('缴费凭证');
    expect(html).toContain('དངུལ་སྤྲོད་ལག་ཁྱེར།');
    expect(html).toContain('¥ 400.00 元');
    expect(html).toContain('2025-01-01');
    expect(html).not.toContain(f.pending.idNumber);
    expect(html).not.toContain('测试5'); // the name masked too (one masking rule)
    expect(html).toContain('测**');
    expect(html).toContain(`${f.pending.idNumber.slice(0, 6)}********`);
    expect(html).toMatch(/@font-face \{ font-family: 'Noto Serif Tibetan'; src: url\(data:font\/woff2;base64,/);
    const [audit] = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'payment.receipt'`);
    expect(audit).toBeDefined();
    expect((await app.inject({ method: 'GET', url: '/api/v1/payments/999999/receipt', headers: as('clerk') })).statusCode).toBe(404);
  });
});
