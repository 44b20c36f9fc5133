/**
 * Issue 13: "a printable receipt (PDF) in Chinese and Tibetan". The PDF is
 * read back (text through the fonts' ToUnicode maps, embedded fonts): the
 * receipt number, the amount in yuan, the name and ID number masked, the
 * fonts embedded — with the machine's full fonts and with the npm fonts
 * alone (a fresh `npm install` without Debian's Noto fonts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfFonts } from '../src/service/pdf-fonts.ts';
import { receiptData } from '../src/service/payment-receipt.ts';
import { receiptPdf } from '../src/service/payment-receipt-pdf.ts';
import type { TestDb } from './support/db.ts';
import type { Fixture } from './support/fixture.ts';
import { pdfPagePng, readPdf } from './support/pdf-text.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;
let paymentId = 0;
const NAME_BO = 'བསྟན་འཛིན་སྒྲོལ་མ།';
const codes: { idNumber: string; code: string }[] = [];

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: ['clerk'], app: { otpSender: { send: async (m) => void codes.push(m) } } });
  ({ t, app, f } = testApp);
  await t.db.query('UPDATE persons SET name_bo = $1 WHERE id = $2', [NAME_BO, f.pending.id]);
  const paid = await app.inject({
    method: 'POST', url: '/api/v1/payments', headers: testApp.as('clerk'),
    payload: { personId: f.pending.id, year: 2025, amount: 40_000, paidOn: '2024-11-20', method: 'mobile', reference: 'WX-9' },
  });
  paymentId = paid.json().payment.id;
});
afterAll(() => testApp?.close());

const get = (url: string) => app.inject({ method: 'GET', url, headers: testApp.as('clerk') });
const keep = (name: string, pdf: Buffer) => {
  const dir = join(process.cwd(), 'test-results');
  mkdirSync(dir, { recursive: true }); // a fresh clone has none until a browser test made it
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  return pdfPagePng(path, name);
};

describe('the receipt as a PDF', () => {
  it('in Chinese: receipt number, yuan, masked name and ID number, the Chinese font embedded, audited', async () => {
    const res = await get(`/api/v1/payments/${paymentId}/receipt?format=pdf&lang=zh-CN`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="receipt-SB2025-\d{8}-zh-CN\.pdf"$/);
    const { pages, embeddedFonts } = readPdf(res.rawPayload);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    expect(text).toContain('城乡居民基本医疗保险缴费凭证');
    expect(text).toMatch(/No\. SB2025-\d{8}/);
    expect(text).toContain('¥ 400.00 元');
    expect(text).toContain('移动支付');
    expect(text).toContain('2025-01-01');
    expect(text).toContain('测**');
    expect(text).not.toContain('测试5');
    expect(text).toContain(`${f.pending.idNumber.slice(0, 6)}********${f.pending.idNumber.slice(-4)}`);
    expect(text).not.toContain(f.pending.idNumber);
    expect(embeddedFonts.some((name) => /NotoSans(CJK|SC)/.test(name))).toBe(true);
    const [audit] = await t.db.query<{ detail: { format: string; lang: string } }>(`SELECT detail FROM audit_log WHERE action = 'payment.receipt' ORDER BY id DESC LIMIT 1`);
    expect(audit!.detail).toMatchObject({ format: 'pdf', lang: 'zh-CN' });
    keep('receipt-zh-CN', res.rawPayload);
  });

  it('in Tibetan: the labels and the name in Tibetan script (masked), the Tibetan font embedded', async () => {
    const res = await get(`/api/v1/payments/${paymentId}/receipt?format=pdf&lang=bo`);
    expect(res.statusCode).toBe(200);
    const { pages, embeddedFonts } = readPdf(res.rawPayload);
    const text = pages[0]!;
    expect(text).toContain('གྲོང་གསེབ་མི་དམངས་ཀྱི་གཞི་རྩའི་གསོ་བཅོས་ཉེན་བཅོལ་གྱི་དངུལ་སྤྲོད་ལག་ཁྱེར།');
    expect(text).toContain('ཐེངས་འདིའི་དངུལ་སྤྲོད།');
    expect(text).toContain('ཁ་པར་བརྒྱུད་སྤྲོད།');
    expect(text).toMatch(/No\. SB2025-\d{8}/);
    expect(text).toContain('¥ 400.00 སྒོར།');
    expect(text).toContain(`བ${'*'.repeat([...NAME_BO].length - 1)}`);
    expect(text).not.toContain(NAME_BO);
    expect(embeddedFonts.some((name) => name.includes('NotoSerifTibetan'))).toBe(true);
    keep('receipt-bo', res.rawPayload);
  });

  it('prints with the npm fonts alone when the machine has none (Noto Sans SC subsets, Noto Serif Tibetan)', async () => {
    const data = await receiptData(t.db, paymentId);
    const npmOnly = new PdfFonts({ systemFonts: false });
    for (const lang of ['zh-CN', 'bo'] as const) {
      const pdf = await receiptPdf({ ...data, reversed_at: new Date() }, lang, '2026-11-27 10:00', npmOnly);
      const { pages, embeddedFonts } = readPdf(pdf);
      expect(embeddedFonts.some((name) => name.includes('NotoSansSC'))).toBe(true);
      expect(embeddedFonts.some((name) => name.includes('NotoSerifTibetan'))).toBe(true);
      expect(embeddedFonts.some((name) => /CJK|Helvetica/.test(name))).toBe(false);
      expect(pages[0]).toContain(lang === 'bo' ? 'ཕྱིར་བཅོས་ཟིན། · 已冲正 · REVERSED' : '已冲正 · ཕྱིར་བཅོས་ཟིན། · REVERSED');
      expect(pages[0]).toContain('2026-11-27 10:00');
      keep(`receipt-npm-fonts-${lang}`, pdf);
    }
  });

  it('takes a character outside the common set from the npm subset that holds it', () => {
    const fonts = new PdfFonts({ systemFonts: false });
    // 㛃 (U+36C3) is in no subset: it stays in the run before it (drawn as a missing glyph, never dropped).
    const runs = fonts.runs('次仁 喆 ¥ བཀྲ་ཤིས།');
    expect(runs.map((r) => [r.face?.name, r.text])).toEqual([
      ['npm-sc', '次仁 喆 ¥ '],
      ['npm-bo-tibetan', 'བཀྲ་ཤིས།'],
    ]);
    const rare = fonts.faceFor(0x2a6d6); // 𪛖, CJK extension B
    expect(rare === null || rare.name.startsWith('npm-sc-')).toBe(true);
  });

  it('refuses an unknown format or language (400 naming the field) and an unknown payment (404)', async () => {
    const doc = await get(`/api/v1/payments/${paymentId}/receipt?format=doc`);
    expect(doc.statusCode).toBe(400);
    expect(doc.json().error.field).toMatch(/format/);
    const en = await get(`/api/v1/payments/${paymentId}/receipt?format=pdf&lang=en`);
    expect(en.statusCode).toBe(400);
    expect(en.json().error.field).toMatch(/lang/);
    expect((await get('/api/v1/payments/999999/receipt?format=pdf')).statusCode).toBe(404);
  });
});

describe('a resident’s own receipts', () => {
  async function residentCookie(idNumber: string): Promise<string> {
    expect((await app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber } })).statusCode).toBe(200);
    const code = codes.filter((c) => c.idNumber === idNumber).at(-1)!.code;
    const res = await app.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber, code } });
    return String(res.headers['set-cookie']).split(';')[0]!;
  }

  it('lists my payments with their receipt numbers and gives my receipt as PDF in Tibetan; never another person’s', async () => {
    const mine = await residentCookie(f.pending.idNumber);
    const list = await app.inject({ method: 'GET', url: '/api/v1/me/payments?year=2025', headers: { cookie: mine } });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([expect.objectContaining({ id: paymentId, receiptNo: expect.stringMatching(/^SB2025-\d{8}$/), amount: 40_000, paidOn: '2024-11-20', reversed: false })]);
    const pdf = await app.inject({ method: 'GET', url: `/api/v1/me/payments/${paymentId}/receipt?lang=bo`, headers: { cookie: mine } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(readPdf(pdf.rawPayload).pages[0]).toContain('ཐེངས་འདིའི་དངུལ་སྤྲོད།¥ 400.00 སྒོར།');
    const [audit] = await t.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'resident.receipt'`);
    expect(audit!.actor).toBe(`resident:${f.pending.id}`);

    const other = await residentCookie(f.plain.idNumber);
    const theirs = await app.inject({ method: 'GET', url: `/api/v1/me/payments/${paymentId}/receipt`, headers: { cookie: other } });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe('UNKNOWN_PAYMENT');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/payments?year=2025', headers: { cookie: other } })).json().items).toEqual([]);
    expect((await app.inject({ method: 'GET', url: `/api/v1/me/payments/${paymentId}/receipt` })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/v1/me/payments/${paymentId}/receipt?lang=fr`, headers: { cookie: mine } })).statusCode).toBe(400);
  });
});
