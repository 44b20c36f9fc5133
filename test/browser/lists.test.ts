/**
 * Issue 17: lists show their real totals with paging, a year selector, and an
 * export that downloads what the server writes (CSV/XLSX) — settlements, the
 * not-enrolled list, the reports.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;
let page: Page;

beforeAll(async () => {
  if (!enabled) return;
  w = await startWorld();
  const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  await context.addInitScript(() => localStorage.setItem('sanbao.lang', 'zh-CN'));
  page = await context.newPage();
  await staffSignIn(page, w.url, 'clerk');
});
afterAll(async () => {
  await w?.close();
});

/** Follows an export link the way the browser would, with the page's session. */
async function download(selector: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe.skipIf(!enabled)('lists', () => {
  it('settlements: the real total, a year selector and CSV export', async () => {
    await page.goto(`${w.url}/console/settlements`);
    await page.waitForSelector('[data-testid=settlements]');
    const n = (await w.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements'))[0]!.n;
    expect(await page.textContent('[data-testid=pager-text]')).toBe(`第 1–${n} 条，共 ${n} 条`);
    const csv = await download('[data-testid=export-csv]');
    expect(csv.replace(/^\ufeff/, '').trim().split('\r\n')).toHaveLength(n + 1);
    await page.selectOption('[data-testid=year-select]', '2024');
    await expect.poll(() => page.textContent('[data-testid=pager-text]')).toBe('第 0–0 条，共 0 条');
    expect(await page.getAttribute('[data-testid=export-xlsx]', 'href')).toBe('/api/v1/console/settlements?year=2024&format=xlsx');
    await shot(page, 'lists-settlements');
  });

  it('the not-enrolled list: the real total, paging and export', async () => {
    await page.goto(`${w.url}/console/enrollment`);
    await page.waitForSelector('[data-testid=unenrolled]');
    const api = await page.evaluate(async () => (await fetch('/api/v1/enrollment/unenrolled?year=2025&division=513330', { credentials: 'same-origin' })).json());
    const text = await page.textContent('[data-testid=pager-text]');
    expect(text).toContain(`共 ${api.total} 条`);
    const csv = await download('[data-testid=unenrolled] ~ * [data-testid=export-csv], .searchbar:has([data-testid=pager]) [data-testid=export-csv]');
    expect(csv.replace(/^\ufeff/, '').split('\r\n')[0]).toContain('id_number');
    await shot(page, 'lists-enrollment');
  });

  it('the reports: a year selector and exports', async () => {
    await page.goto(`${w.url}/console/reports`);
    await page.waitForSelector('[data-testid=reports]');
    expect(await page.locator('[data-testid=export-csv]').count()).toBeGreaterThanOrEqual(1);
    const csv = await download('[data-testid=reports] [data-testid=export-csv] >> nth=0');
    expect(csv.length).toBeGreaterThan(10);
  });

  it('the audit log names each action and filter in the reader’s language', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await context.addInitScript(() => localStorage.setItem('sanbao.lang', 'zh-CN'));
    const admin = await context.newPage();
    await staffSignIn(admin, w.url, 'admin');
    await admin.goto(`${w.url}/console/audit`);
    await admin.waitForSelector('[data-testid=audit]');
    const options = await admin.locator('.searchbar select[aria-label="操作"] option').allTextContents();
    expect(options.join('|')).not.toMatch(/\b[a-z_]+\.(?:\||$)/);
    await admin.selectOption('.searchbar select[aria-label="操作"]', 'staff.');
    await expect.poll(() => admin.textContent('[data-testid=audit] tbody')).toContain('工作人员账号 · staff.login');
    await context.close();
  });
});

