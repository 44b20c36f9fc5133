/**
 * Issue 17: the first load of /me stays within 150 KB as transferred
 * (compressed), the chart library loads only where a chart is drawn, and the
 * Tibetan font only for Tibetan readers — measured in Chromium from the bytes
 * that crossed the wire.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
const BUDGET = 150 * 1024;
let w: BrowserWorld;

beforeAll(async () => {
  if (enabled) w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

interface Transfer {
  url: string;
  bytes: number;
  encoding: string | undefined;
}

/** Every response the page received, with its size on the wire (body as encoded, plus headers). */
function record(page: Page): Transfer[] {
  const seen: Transfer[] = [];
  page.on('requestfinished', (request) => {
    void (async () => {
      const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
      seen.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize, encoding: (await response?.allHeaders())?.['content-encoding'] });
    })();
  });
  return seen;
}

const total = (seen: Transfer[]) => seen.reduce((sum, s) => sum + s.bytes, 0);

describe.skipIf(!enabled)('what the browser downloads', () => {
  it('loads /me in at most 150 KB compressed, without the console, the charts or the Tibetan font', async () => {
    const context = await w.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    await context.addInitScript(() => localStorage.setItem('sanbao.lang', 'zh-CN'));
    const page = await context.newPage();
    const seen = record(page);
    await page.goto(`${w.url}/me`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[data-testid=resident-signin]');
    await expect.poll(() => seen.some((s) => s.url.includes('/api/v1/me/sign-in'))).toBe(true);
    const bytes = total(seen);
    console.log(`first load of /me: ${(bytes / 1024).toFixed(1)} KB over ${seen.length} responses (budget ${BUDGET / 1024} KB)`);
    expect(bytes).toBeLessThanOrEqual(BUDGET);
    expect(seen.filter((s) => /\.(js|css)$/.test(s.url)).every((s) => s.encoding === 'br')).toBe(true);
    expect(seen.map((s) => s.url).filter((u) => /echarts|ConsoleApp|noto-serif-tibetan|\.woff2?$/.test(u))).toEqual([]);
    await context.close();
  });

  it('fetches the Tibetan font once Tibetan is chosen', async () => {
    const context = await w.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    await context.addInitScript(() => localStorage.setItem('sanbao.lang', 'bo'));
    const page = await context.newPage();
    const seen = record(page);
    await page.goto(`${w.url}/me`, { waitUntil: 'networkidle' });
    await page.evaluate(() => document.fonts.ready);
    await expect.poll(() => seen.some((s) => /noto-serif-tibetan.*\.woff2$/.test(s.url))).toBe(true);
    await context.close();
  });

  it('loads the chart library on the reports page only', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => localStorage.setItem('sanbao.lang', 'zh-CN'));
    const page = await context.newPage();
    const seen = record(page);
    await staffSignIn(page, w.url, 'admin');
    await page.waitForLoadState('networkidle');
    expect(seen.some((s) => s.url.includes('echarts'))).toBe(false);
    await page.goto(`${w.url}/console/reports`, { waitUntil: 'networkidle' });
    await expect.poll(() => seen.some((s) => s.url.includes('echarts'))).toBe(true);
    await context.close();
  });
});
