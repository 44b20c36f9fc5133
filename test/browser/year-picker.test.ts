/**
 * The console's year pickers (useDefaultYear): the default year, read from the
 * policies, never overrides a year the clerk typed before it arrived. The
 * policies' answer is held back until the clerk has typed on the out-of-area
 * page; once it is in, the typed year stays and no report of the default year
 * is asked for.
 */
import { describe, expect, it } from 'vitest';
import { enabled, shot, staffPage, useWorld } from './support.ts';

const w = useWorld();

describe.skipIf(!enabled)('a year picker', () => {
  it('keeps the year the clerk typed before the default year arrived', async () => {
    const { context, page } = await staffPage(w, 'admin');
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/policies*', async (route) => {
      await held;
      await route.continue();
    });
    const reportYears: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname === '/api/v1/console/reports/out-of-area') reportYears.push(url.searchParams.get('year') ?? '');
    });
    await page.goto(`${w.url}/console/out-of-area`); // a new page: the default year is asked for again, and held
    const input = page.locator('[data-testid=ooa-year]');
    await input.waitFor();
    expect(await input.inputValue()).toBe('');
    await input.fill('2024');
    await expect.poll(() => reportYears).toContain('2024');

    const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/policies');
    release();
    expect((await answered).status()).toBe(200);
    // One more round trip from the page: the default year's promise and the render it schedules have run by then.
    await page.evaluate(() => fetch('/healthz').then((r) => r.text()));
    await page.evaluate(() => fetch('/healthz').then((r) => r.text()));
    expect(await input.inputValue()).toBe('2024');
    expect(reportYears).not.toContain('2025');
    await shot(page, 'year-picker-typed');
    await context.close();
  });

  it('shows the default year when the clerk typed none', async () => {
    const { context, page } = await staffPage(w, 'admin');
    await page.goto(`${w.url}/console/out-of-area`);
    await expect.poll(() => page.locator('[data-testid=ooa-year]').inputValue()).toBe('2025');
    await context.close();
  });
});
