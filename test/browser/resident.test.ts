/** The resident self-service on a phone-sized screen: one-time code, reimbursements by fund, trial calculation, large type, Tibetan. */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, shot, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;

beforeAll(async () => {
  if (enabled) w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

describe.skipIf(!enabled)('resident self-service', () => {
  it('signs in with a one-time code, sees each reimbursement by fund, and runs a trial calculation', async () => {
    const context = await w.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${w.url}/me`);
    await page.fill('input[name=idNumber]', w.f.poor.idNumber);
    await page.click('text=获取验证码');
    await expect.poll(() => w.codes.filter((c) => c.idNumber === w.f.poor.idNumber).length).toBe(1);
    await page.fill('input[name=code]', w.codes.at(-1)!.code);
    await shot(page, 'resident-signin');
    await page.click('form[data-testid=resident-signin] button[type=submit]');
    await page.waitForSelector('[data-testid=hello]');
    const items = page.locator('[data-testid=reimbursements] > li');
    await items.first().waitFor();
    expect(await items.count()).toBe(2);
    const first = await items.first().textContent();
    expect(first).toContain('基本医保');
    expect(first).toContain('您自付');

    await page.fill('[data-testid=quote] input[name=date]', '2025-09-01');
    await page.fill('[data-testid=quote] input[name=total]', '20000');
    await page.fill('[data-testid=quote] input[name=compliant]', '18000.50');
    await page.click('[data-testid=quote] button[type=submit]');
    await page.waitForSelector('[data-testid=quote-result]');
    const selfPay = await page.textContent('[data-testid=quote-result] [data-testid=self-pay]');
    expect(selfPay).toMatch(/^¥\d{1,3}(,\d{3})*\.\d{2}$/);
    expect(await page.textContent('[data-testid=quote-result] [data-testid=total]')).toBe('¥20,000.00');
    await shot(page, 'resident-quote');
    await page.locator('[data-testid=quote-result]').scrollIntoViewIfNeeded();
    await shot(page, 'resident-quote-viewport', false);

    await page.click('[data-testid=large-type]');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('22px');
    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.textContent('[data-testid=quote] h2')).toBe('ཚོད་རྩིས། འགྲོ་སོང་འདི་ངས་ག་ཚོད་སྤྲོད་དགོས།');
    await page.evaluate(() => document.fonts.ready);
    await page.evaluate(() => scrollTo(0, 0));
    await shot(page, 'resident-large-bo');
    await shot(page, 'resident-large-bo-top', false);
    await page.locator('[data-testid=reimbursements] > li').first().scrollIntoViewIfNeeded();
    await shot(page, 'resident-large-bo-reimbursement', false);
    await context.close();
  });
});
