/**
 * Issue 11 on screen: after a hospital reverses an earlier bill, the resident
 * sees, on the later bill, why it was settled again and what each fund pays
 * more or recovers (Chinese, then English and Tibetan); the console's
 * settlement page shows the same entries to staff.
 */
import { describe, expect, it } from 'vitest';
import type { FixturePerson } from '../support/fixture.ts';
import { hospitalAuth } from '../support/hospital.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { addEnrolledPerson } from '../support/more-persons.ts';
import { enabled, residentSignIn, settleBills, shot, staffPage, useWorld } from './support.ts';

let laterId = 0;
let person: FixturePerson;

const w = useWorld(async (w) => {
  person = await addEnrolledPerson(w.t.db, loadFixturePolicies());
  const bills = [
    { transactionId: 'RJ-A', date: '2025-02-01', total: 6_000_000, compliant: 5_000_000 },
    { transactionId: 'RJ-B', date: '2025-03-01', total: 12_000_000, compliant: 10_000_000 },
    { transactionId: 'RJ-C', date: '2025-04-01', total: 9_000_000, compliant: 8_000_000 },
  ];
  laterId = (await settleBills(w.app, bills.map((b) => ({ ...b, idNumber: person.idNumber })))).at(-1)!;
  const reversed = await w.app.inject({ method: 'POST', url: '/api/v1/settlements/RJ-B/reversal', headers: hospitalAuth(), payload: { reversalId: 'RJ-B-R' } });
  if (reversed.statusCode !== 200 || reversed.json().readjudication.billsChanged !== 1) throw new Error(`reversal: ${reversed.body}`);
});

describe.skipIf(!enabled)('re-settled bills on screen', () => {
  it('the resident reads why a later bill changed and what each fund pays more or recovers, in three languages', async () => {
    const context = await w.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, w, person.idNumber);
    await page.waitForSelector('[data-testid=adjustment]');
    const text = await page.textContent('[data-testid=adjustment]');
    expect(text).toContain('一笔结算已冲正');
    expect(text).toMatch(/大病保险追回 ¥[\d,]+\.\d{2}/);
    expect(text).toMatch(/您需要多自付|您少自付/);
    await page.locator('[data-testid=adjustments]').first().scrollIntoViewIfNeeded();
    await shot(page, 'resident-adjustment-zh', false);

    await page.selectOption('[data-testid=language]', 'en');
    await expect.poll(() => page.textContent('[data-testid=adjustment]')).toContain('was cancelled, so this bill was settled again');
    expect(await page.textContent('[data-testid=adjustment]')).toMatch(/Critical illness recovers CNY [\d,]+\.\d{2}/);
    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.textContent('[data-testid=adjustments] h3')).toBe('ཡང་བསྐྱར་རྩིས་སྒྲིག་གི་ལེགས་སྒྲིག');
    await page.evaluate(() => document.fonts.ready);
    await shot(page, 'resident-adjustment-bo', false);
    await context.close();
  });

  it('the console shows the entries on the settlement page and marks the bill adjusted in the list', async () => {
    const { context, page } = await staffPage(w, 'admin', { width: 1280, height: 900 });
    await page.goto(`${w.url}/console/settlements`);
    await page.waitForSelector('[data-testid=settlements]');
    expect(await page.locator('[data-testid=settlements] .badge.adjusted').count()).toBe(1);
    await page.goto(`${w.url}/console/settlements/${laterId}`);
    await page.waitForSelector('[data-testid=adjustment]');
    const text = await page.textContent('[data-testid=adjustments]');
    expect(text).toMatch(/大病保险追回 ¥[\d,]+\.\d{2}/);
    expect(text).toMatch(/个人自付增加 ¥[\d,]+\.\d{2}/);
    expect(await page.textContent('[data-testid=effective]')).toMatch(/调整后各项基金共支付/);
    await page.click('[data-testid=adjusted-explain]');
    // The explanation as settled again: without the reversed bill the year's base before this one is A's alone (7,755 yuan).
    await expect.poll(() => page.textContent('[data-testid=adjustments]')).toContain('¥7,755.00 →');
    // The compliant amount is unchanged, so the bill's step as first settled still tells it.
    expect(await page.textContent('[data-testid=adjustments] [data-testid=steps]')).toContain('未核验：合规费用为医院申报数');
    await shot(page, 'console-settlement-adjusted');
    await context.close();
  });
});
