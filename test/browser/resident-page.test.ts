/**
 * Issue 17: the resident page works on its first try, in every language, on
 * a 360-pixel phone with large type — no sideways scroll, the masked phone the
 * code went to (or "no phone registered"), no demo hint outside the demo, the
 * trial calculation on a day a policy covers, the bill in plain words without
 * rule codes, and the e-insurance QR code.
 */
import { existsSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReferenceCatalogues } from '../../src/service/insurance-catalogue-import.ts';
import { CHROMIUM, settleItemised, shot, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;

beforeAll(async () => {
  if (!enabled) return;
  w = await startWorld();
  await w.t.db.query(`UPDATE facilities SET name_bo = 'སྡེ་དགེ་རྫོང་མི་དམངས་སྨན་ཁང་།' WHERE code = 'H51333000001'`);
  // A payment of the person signing in: their receipts line (number, date, amount, two PDF links) must fit the phone too.
  await w.t.db.query(`INSERT INTO payments (person_id, year, kind, amount_fen, recorded_by, paid_on) VALUES ($1, 2025, 'individual', 10000, 'test', '2024-11-02')`, [w.f.poor.id]);
});
afterAll(async () => {
  await w?.close();
});

async function phone(lang: string, large: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await w.browser.newContext({ viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await context.addInitScript(
    ([l, big]) => {
      localStorage.setItem('sanbao.lang', l as string);
      localStorage.setItem('sanbao.large', big ? '1' : '0');
    },
    [lang, large] as const,
  );
  return { context, page: await context.newPage() };
}

const sideways = async (page: Page) => {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (over > 0) {
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .slice(0, 5)
        .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
    );
    console.log('wider than the screen:', wide.join(' | '));
  }
  return over;
};

describe.skipIf(!enabled)('the resident page on a 360-pixel phone with large type', () => {
  for (const lang of ['zh-CN', 'bo', 'en']) {
    it(`works on its first try in ${lang}`, async () => {
      const { context, page } = await phone(lang, true);
      await page.goto(`${w.url}/me`);
      await page.fill('input[name=idNumber]', w.f.poor.idNumber);
      await page.click('[data-testid=send-code]');
      const sentTo = await page.waitForSelector('[data-testid=code-sent]');
      expect(await sentTo.textContent()).toMatch(/138\*{4}\d{4}/);
      expect(await page.locator('[data-testid=demo-hint]').count()).toBe(0);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      await page.fill('input[name=code]', w.codes.filter((c) => c.idNumber === w.f.poor.idNumber).at(-1)!.code);
      await page.click('form[data-testid=resident-signin] button[type=submit]');
      await page.waitForSelector('[data-testid=hello]');
      await page.locator('[data-testid=reimbursements] > li').first().waitFor();
      await page.locator('[data-testid=my-receipts] li').first().waitFor();
      // The hospital by its Tibetan name for a Tibetan reader.
      expect(await page.textContent('[data-testid=reimbursements]')).toContain(lang === 'bo' ? 'སྡེ་དགེ་རྫོང་མི་དམངས་སྨན་ཁང་།' : '德格县人民医院');
      await page.evaluate(() => document.fonts.ready);
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(lang === 'bo' ? '25px' : '22px');
      expect(await sideways(page)).toBeLessThanOrEqual(0);

      // Each label sits above its amount: the amount starts on the line below, at the same left edge.
      const [dt, dd] = await Promise.all([
        page.locator('[data-testid=my-enrollment] dt').first().boundingBox(),
        page.locator('[data-testid=my-enrollment] dd').first().boundingBox(),
      ]);
      expect(dd!.y).toBeGreaterThanOrEqual(dt!.y + dt!.height - 1);
      expect(Math.abs(dd!.x - dt!.x)).toBeLessThan(2);

      // The bill in plain words, with no rule code.
      await page.locator('[data-testid=reimbursements] > li').first().locator('button.link').first().click();
      await page.waitForSelector('[data-testid=plain]');
      const body = (await page.textContent('main'))!;
      expect(body).not.toMatch(/\b(basic|critical|assistance|tilt|supplementary)\.[a-z_]+/);
      expect(await page.textContent('[data-testid=plain-excluded]')).toContain(lang === 'zh-CN' ? '¥2,000.00' : '2,000.00');
      expect(await sideways(page)).toBeLessThanOrEqual(0);

      // The trial calculation on its first try: the default day is one a policy covers.
      await page.fill('[data-testid=quote] input[name=total]', '20000');
      await page.fill('[data-testid=quote] input[name=compliant]', '18000');
      await page.click('[data-testid=quote] button[type=submit]');
      await page.waitForSelector('[data-testid=quote-result]');
      expect(await page.locator('[data-testid=quote] .error').count()).toBe(0);
      expect(await page.inputValue('[data-testid=quote] input[name=date]')).toMatch(/^2025-/);
      expect(await sideways(page)).toBeLessThanOrEqual(0);

      // The e-insurance code, drawn as a QR code of the person's token.
      await page.click('[data-testid=qr-toggle]');
      const qr = page.locator('[data-testid=insurance-qr]');
      expect(await qr.getAttribute('data-token')).toMatch(/^qr/);
      const box = await qr.locator('svg').boundingBox();
      expect(box!.width).toBeGreaterThan(150);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      await page.evaluate(() => scrollTo(0, 0));
      await shot(page, `resident-360-large-${lang}`);
      await context.close();
    });
  }

  it('says in plain words, line by line, what the policy did not cover and why (an itemised bill), in zh, bo and en', async () => {
    await importReferenceCatalogues(w.t.db, 'test');
    await settleItemised(w.app, { transactionId: 'W-LINES', idNumber: w.f.plain.idNumber, date: '2025-09-01', dischargeDate: '2025-09-03' },
      [['XA10BAE054A001', 10, 150], ['XJ01DDC175B002', 4, 4_000], ['T000700456', 5, 2_000]]);
    const expected: Record<string, RegExp[]> = {
      'zh-CN': [/¥100\.00 属丙类（不在医保目录内），由您全额自付/, /超过医保限价 ¥38\.50，超出部分 ¥6\.00 由您自付/, /乙类，按政策先由您自付 10%，即 ¥15\.40/],
      bo: [/རིམ་པ་གསུམ་པ་ཡིན།/, /38\.50/, /10%/],
      en: [/100\.00 is class C \(outside the insurance catalogue\), so you pay all of it/, /ceiling of CNY 38\.50, so you pay the CNY 6\.00 above it/, /pay 10% of it first, CNY 15\.40/],
    };
    for (const lang of ['zh-CN', 'bo', 'en']) {
      const { context, page } = await phone(lang, false);
      await page.goto(`${w.url}/me`);
      await page.fill('input[name=idNumber]', w.f.plain.idNumber);
      await page.click('[data-testid=send-code]');
      await page.waitForSelector('[data-testid=code-sent]');
      await page.fill('input[name=code]', w.codes.filter((c) => c.idNumber === w.f.plain.idNumber).at(-1)!.code);
      await page.click('form[data-testid=resident-signin] button[type=submit]');
      await page.locator('[data-testid=reimbursements] > li').first().waitFor();
      await page.locator('[data-testid=reimbursements] > li').first().locator('button.link').first().click();
      const why = (await (await page.waitForSelector('[data-testid=plain-why]')).textContent())!;
      for (const re of expected[lang]!) expect(why).toMatch(re);
      expect((await page.textContent('main'))!).not.toMatch(/\b(basic|critical|assistance|tilt|supplementary|bill|line)\.[a-z_]+/);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      await page.locator('[data-testid=plain-why]').scrollIntoViewIfNeeded();
      await shot(page, `resident-bill-lines-${lang}`);
      await context.close();
    }
  });

  it('tells a person without a phone to visit the station', async () => {
    await w.t.db.query('UPDATE persons SET phone = NULL WHERE id_number = $1', [w.f.alleviated.idNumber]);
    const { context, page } = await phone('zh-CN', false);
    await page.goto(`${w.url}/me`);
    await page.fill('input[name=idNumber]', w.f.alleviated.idNumber);
    await page.click('[data-testid=send-code]');
    expect(await (await page.waitForSelector('[data-testid=no-phone]')).textContent()).toContain('服务站');
    expect(await page.locator('[data-testid=code-sent]').count()).toBe(0);
    await shot(page, 'resident-no-phone');
    await context.close();
  });
});
