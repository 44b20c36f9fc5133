/**
 * Issue 11 on screen: after a hospital reverses an earlier bill, the resident
 * sees, on the later bill, why it was settled again and what each fund pays
 * more or recovers (Chinese, then English and Tibetan); the console's
 * settlement page shows the same entries to staff.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, type FixturePerson } from '../support/fixture.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { addEnrolledPerson } from '../support/more-persons.ts';
import { CHROMIUM, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;
let laterId = 0;
let person: FixturePerson;

beforeAll(async () => {
  if (!enabled) return;
  w = await startWorld();
  person = await addEnrolledPerson(w.t.db, loadFixturePolicies());
  const bills = [
    { id: 'RJ-A', date: '2025-02-01', total: 6_000_000, compliant: 5_000_000 },
    { id: 'RJ-B', date: '2025-03-01', total: 12_000_000, compliant: 10_000_000 },
    { id: 'RJ-C', date: '2025-04-01', total: 9_000_000, compliant: 8_000_000 },
  ];
  for (const b of bills) {
    const res = await w.app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: b.id, patient: { idNumber: person.idNumber }, visit: { kind: 'inpatient', date: b.date }, amounts: { total: b.total, compliant: b.compliant } },
    });
    if (res.statusCode !== 201) throw new Error(`${b.id}: ${res.body}`);
    if (b.id === 'RJ-C') laterId = res.json().id;
  }
  const reversed = await w.app.inject({ method: 'POST', url: '/api/v1/settlements/RJ-B/reversal', headers: { authorization: `Bearer ${KEYS.county}` }, payload: { reversalId: 'RJ-B-R' } });
  if (reversed.statusCode !== 200 || reversed.json().readjudication.billsChanged !== 1) throw new Error(`reversal: ${reversed.body}`);
});
afterAll(async () => {
  await w?.close();
});

describe.skipIf(!enabled)('re-settled bills on screen', () => {
  it('the resident reads why a later bill changed and what each fund pays more or recovers, in three languages', async () => {
    const context = await w.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${w.url}/me`);
    await page.fill('input[name=idNumber]', person.idNumber);
    await page.click('text=获取验证码');
    await expect.poll(() => w.codes.filter((c) => c.idNumber === person.idNumber).length).toBe(1);
    await page.fill('input[name=code]', w.codes.at(-1)!.code);
    await page.click('form[data-testid=resident-signin] button[type=submit]');
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
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'admin');
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
