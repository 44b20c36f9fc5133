/** The staff console in Chromium: sign in, find a person, follow a settlement's explanation, Tibetan, a refused station clerk, reports. */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReferenceCatalogues } from '../../src/service/insurance-catalogue-import.ts';
import { CHROMIUM, settleItemised, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;

beforeAll(async () => {
  if (enabled) w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

describe.skipIf(!enabled)('staff console', () => {
  it('signs in, finds a person with masked numbers, and follows a settlement step by step', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'clerk');
    await page.fill('input[name=q]', '测试2');
    await page.click('form.searchbar button[type=submit]');
    const row = page.locator('[data-testid=persons] tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const idCell = await row.first().locator('td.mono').first().textContent();
    expect(idCell).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(idCell).not.toBe(w.f.poor.idNumber);
    await shot(page, 'console-search');

    await row.first().locator('a').first().click();
    await page.waitForSelector('[data-testid=person-settlements]');
    await page.click('[data-testid=unmask]');
    await expect.poll(() => page.textContent('[data-testid=id-number]')).toBe(w.f.poor.idNumber);
    const audited = await w.t.db.query(`SELECT 1 FROM audit_log WHERE action = 'person.unmask' AND actor = 'staff:clerk'`);
    expect(audited.length).toBe(1);

    await page.locator('dd.mono a').first().click(); // the household, from the enrollment API
    await page.waitForSelector('[data-testid=household] tbody tr');
    expect(await page.locator('[data-testid=household] tbody tr').count()).toBe(6); // five members and the total
    await page.goBack();
    await page.waitForSelector('[data-testid=person-settlements]');
    await page.locator('[data-testid=person-settlements] a').first().click();
    await page.waitForSelector('[data-testid=steps] li');
    const steps = await page.locator('[data-testid=steps] li').allTextContents();
    expect(steps[0]).toContain('基本医保');
    expect(steps.join('\n')).toContain('大病保险');
    expect(steps.join('\n')).toContain('医疗救助');
    expect(steps.join('\n')).toMatch(/¥\d{1,3}(,\d{3})*\.\d{2}/);
    await shot(page, 'console-settlement-zh');

    // The same page in Tibetan, in Tibetan script, with a face that has it.
    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('རྩིས་སྒྲིག་དང་རྩིས་རྒྱུན།');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('bo');
    expect(await page.locator('[data-testid=steps]').textContent()).toContain('གཞི་རྩའི་གསོ་བཅོས་ཉེན་བཅོལ།');
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => document.fonts.check('16px "Noto Serif Tibetan"', 'ཀ'))).toBe(true);
    await shot(page, 'console-settlement-bo');

    await page.selectOption('[data-testid=language]', 'en');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Settlement and how it was calculated');
    await shot(page, 'console-settlement-en');
    await context.close();
  });

  it('shows a station clerk the server refusal (403) for a person outside the township', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'station1');
    await page.goto(`${w.url}/console/persons/${w.f.alleviated.id}`);
    const error = page.locator('[role=alert]');
    await error.waitFor();
    expect(await error.getAttribute('data-status')).toBe('403');
    expect(await error.textContent()).toContain('OUTSIDE_DIVISION');
    expect(await error.textContent()).toContain('无权访问');
    await shot(page, 'console-station-refused');
    // Inside its township the same page opens.
    await page.goto(`${w.url}/console/persons/${w.f.poor.id}`);
    await page.waitForSelector('[data-testid=person]');
    await context.close();
  });

  it('draws the reports with ECharts, and the audit log for the administrator', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'admin');
    await page.goto(`${w.url}/console/reports`);
    for (const id of ['chart-coverage', 'chart-payments', 'chart-alerts', 'chart-townships']) {
      await page.waitForSelector(`[data-testid=${id}][data-rendered=true] svg`);
    }
    expect(await page.textContent('[data-testid=reports-summary]')).toContain('2025 年共结算 5 笔');
    expect(await page.locator('[data-testid=chart-alerts] svg path').count()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    await shot(page, 'console-reports');
    await page.goto(`${w.url}/console/monitoring`);
    await page.waitForSelector('[data-testid=cases] tbody tr');
    await page.locator('[data-testid=cases] tbody tr a').first().click();
    await page.waitForSelector('[data-testid=case]');
    expect(await page.textContent('[data-testid=case]')).toContain('已预警');
    await shot(page, 'console-monitoring');
    await page.goto(`${w.url}/console/audit`);
    await page.waitForSelector('[data-testid=audit] tbody tr');
    expect(await page.locator('[data-testid=audit]').textContent()).toContain('staff.login');
    await page.goto(`${w.url}/console/delegations`);
    await page.waitForSelector('[data-testid=delegations] tbody tr');
    await shot(page, 'console-delegations');
    await context.close();
  });
  it('explains an itemised bill line by line on the settlement page: class, quantity × price, what the patient pays and why, a restriction not met', async () => {
    await importReferenceCatalogues(w.t.db, 'test');
    const id = await settleItemised(w.app, { transactionId: 'W-CONSOLE-LINES', idNumber: w.f.poor.idNumber, date: '2025-09-01', dischargeDate: '2025-09-03', diagnosis: 'J18.900' },
      [['XA10BAE054A001', 10, 150], ['XA10BAE054A001', 10, 150], ['XJ01DDC175B002', 4, 4_000], ['T000700456', 5, 2_000], ['XB01ACA056B001', 1, 300]]);
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'clerk');
    await page.goto(`${w.url}/console/settlements/${id}`);
    await page.waitForSelector('[data-testid=bill-step-lines]');
    const lines = await page.locator('[data-testid=bill-step-line]').allTextContents();
    expect(lines).toHaveLength(4);
    // 20 tablets where a 2-day stay allows 12 (6 a day): paid as priced, the restriction named for claim review.
    expect(lines[0]).toMatch(/XA10BAE054A001.*二甲双胍片.*20 × 单价 ¥1\.50 = ¥30\.00.*2 条明细.*合规 ¥30\.00.*限量 12（开具 20）/);
    expect(lines[1]).toMatch(/超出限价 ¥38\.50 的部分 ¥6\.00 自付.*先行自付 10%：¥15\.40.*合规 ¥138\.60/);
    expect(lines[2]).toMatch(/T000700456.*丙类，¥100\.00 全自费.*合规 ¥0\.00/);
    expect(lines[3]).toMatch(/限诊断 I20-I25、I63（本次诊断 J18\.900）/);
    expect(await page.locator('[data-testid=steps]').textContent()).toMatch(/按医保目录逐项核定：5 条费用明细，合规部分合计 ¥171\.30/);
    await page.locator('[data-testid=bill-step-lines]').scrollIntoViewIfNeeded();
    await shot(page, 'console-settlement-lines-zh');
    await page.selectOption('[data-testid=language]', 'en');
    await expect.poll(() => page.locator('[data-testid=bill-step-line]').nth(2).textContent()).toMatch(/class C: CNY 100\.00 paid in full by the patient/);
    expect(await page.locator('[data-testid=bill-step-unmet]').last().textContent()).toMatch(/only with the diagnosis I20-I25, I63 \(this bill: J18\.900\)/);
    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.locator('[data-testid=bill-step-line]').nth(2).textContent()).toMatch(/རིམ་པ་གསུམ་པ།/);
    await shot(page, 'console-settlement-lines-bo');
    await context.close();
  });
});
