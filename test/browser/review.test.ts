/** Claim review, itemised bills and chronic-disease approvals in the staff console, in Chromium. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReferenceCatalogues } from '../../src/service/insurance-catalogue-import.ts';
import { CHROMIUM, settleItemised, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;
let settlementId = 0;

beforeAll(async () => {
  if (!enabled) return;
  w = await startWorld();
  await importReferenceCatalogues(w.t.db, 'test');
  settlementId = await settleItemised(w.app, { transactionId: 'BR-1', idNumber: w.f.plain.idNumber, date: '2025-08-01', dischargeDate: '2025-08-03', diagnosis: 'J18.900' },
    [['XJ01DDC175B002', 4, 4_000], ['XJ01DDC175B002', 4, 4_000], ['XG03CAE042B001', 2, 500], ['002701000010000', 3, 150_00], ['001105000010000', 2, 3_000]]);
});
afterAll(async () => {
  await w?.close();
});

describe.skipIf(!enabled)('claim review and chronic diseases in the console', () => {
  it('shows a settlement priced line by line with its flags', async () => {
    const page = await (await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
    await staffSignIn(page, w.url, 'clerk');
    await page.goto(`${w.url}/console/settlements/${settlementId}`);
    await page.waitForSelector('[data-testid=bill-lines] tbody tr');
    expect(await page.textContent('[data-testid=verification]')).toBe('医保按目录逐项审核');
    expect(await page.locator('[data-testid=bill-lines] tbody tr').count()).toBe(5);
    expect(await page.textContent('[data-testid=bill-lines] tbody tr:first-child')).toContain('注射用头孢曲松钠');
    const flags = await page.locator('[data-testid=bill-flags] li').allTextContents();
    expect(flags.join('\n')).toContain('重复收费');
    expect(flags.join('\n')).toContain('限性别用药');
    await shot(page, 'console-bill-lines');
  });

  it('a reviewer deducts a duplicate charge from the queue; the statistics follow', async () => {
    const page = await (await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
    await staffSignIn(page, w.url, 'clerk');
    await page.click('a[href="/console/review"]');
    await page.waitForSelector('[data-testid=flags] tbody tr');
    const [dup] = await w.t.db.query<{ id: number }>(`SELECT id FROM review_flags WHERE rule = 'duplicate_lines'`);
    await page.click(`[data-testid=decide-${dup!.id}]`);
    await page.selectOption('[data-testid=decision] select[name=decision]', 'deduct');
    await page.fill('[data-testid=decision] input[name=amount]', '100.50');
    await page.fill('[data-testid=decision] input[name=reason]', '重复收费');
    await shot(page, 'console-review-decision');
    await page.click('[data-testid=decision] button[type=submit]');
    await expect.poll(async () => (await w.t.db.query<{ status: string; deduct_fen: number }>(`SELECT status, deduct_fen FROM review_flags WHERE id = $1`, [dup!.id]))[0]).toEqual({ status: 'deducted', deduct_fen: 10_050 });
    await expect.poll(() => page.locator('[data-testid=review-stats]').textContent()).toContain('¥100.50');
    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('རྩིས་ཞིབ་རིག་ནུས།');
    await shot(page, 'console-review-bo');
  });

  it('a station applies for a chronic disease with a document, the bureau approves it', async () => {
    const station = await (await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
    await staffSignIn(station, w.url, 'station1');
    await station.click('a[href="/console/chronic"]');
    await station.fill('[data-testid=chronic-new] input[name=personId]', String(w.f.plain.id));
    await station.waitForSelector('[data-testid=chronic-new] select[name=disease] option[value=GZ05]', { state: 'attached' });
    await station.selectOption('[data-testid=chronic-new] select[name=disease]', 'GZ05');
    await station.fill('[data-testid=chronic-new] input[name=diagnosis]', 'I10.x00');
    await station.setInputFiles('[data-testid=chronic-new] input[name=document]', { name: '诊断证明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 diagnosis') });
    await station.click('[data-testid=chronic-new] button[type=submit]');
    await station.waitForSelector('[data-testid=chronic-applications] tbody tr');
    expect(await station.textContent('[data-testid=chronic-applications] tbody')).toContain('诊断证明.pdf');
    await shot(station, 'console-chronic-station');
    const [doc] = await w.t.db.query<{ sha256: string; size_bytes: number }>('SELECT sha256, size_bytes FROM chronic_documents');
    // Only the metadata was sent: the SHA-256 the browser computed of the file, and its size.
    expect(doc).toEqual({ sha256: createHash('sha256').update('%PDF-1.4 diagnosis').digest('hex'), size_bytes: 18 });

    const clerk = await (await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
    await staffSignIn(clerk, w.url, 'clerk');
    await clerk.goto(`${w.url}/console/chronic`);
    const [app] = await w.t.db.query<{ id: number }>('SELECT id FROM chronic_applications');
    await clerk.waitForSelector(`[data-testid=chronic-review-${app!.id}]`);
    await clerk.click(`[data-testid=chronic-review-${app!.id}] button.primary`);
    await clerk.waitForSelector('[data-testid=chronic-approvals] tbody tr');
    expect(await clerk.textContent('[data-testid=chronic-approvals] tbody')).toContain('高血压');
    await shot(clerk, 'console-chronic-approved');
    const audit = await w.t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'chronic.%' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['chronic.apply', 'chronic.approve']);
  });
  it('shows the item catalogue in force on a date: class, self-pay first by scheme, price ceiling, every restriction', async () => {
    const page = await (await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
    await staffSignIn(page, w.url, 'clerk');
    await page.goto(`${w.url}/console/catalogue`);
    await page.waitForSelector('[data-testid=catalogue] tbody tr');
    await page.fill('[placeholder=编码或名称]', '曲妥珠');
    await expect.poll(() => page.locator('[data-testid=catalogue] tbody tr').count()).toBe(1);
    const row = (await page.textContent('[data-testid=catalogue] tbody tr'))!;
    // Trastuzumab: class B, 20 % first for residents and 15 % for employees, 5,500 yuan a vial, level 2 and above, C50 only, 1 a day, 6 a stay.
    expect(row).toContain('居民 20% · 职工 15%');
    expect(row).toContain('¥5,500.00/支');
    expect(await page.textContent('[data-testid=catalogue] [data-testid=restrictions]')).toBe('二级+ · C50 · 每日 ≤1 · 每次住院 ≤6');
    // The stent's ceiling fell from 1,000 to 800 yuan in 2025: the date picks the entry in force.
    await page.fill('[placeholder=编码或名称]', 'C0201010020000');
    await page.fill('input[name=date]', '2024-06-01');
    await expect.poll(() => page.textContent('[data-testid=catalogue] tbody')).toContain('¥1,000.00');
    await page.fill('input[name=date]', '2025-06-01');
    await expect.poll(() => page.textContent('[data-testid=catalogue] tbody')).toContain('¥800.00');
    await shot(page, 'console-catalogue');
  });
});
