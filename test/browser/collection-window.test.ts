/**
 * Issue 13 in Chromium: at the collection window a clerk finds a resident,
 * is refused a 2025 payment dated today (it would buy no cover), takes it
 * dated inside the year, is told the waiting period and the day cover
 * starts, prints the receipt (Chinese and Tibetan), sees the household's
 * payments, and imports a roster after its preview. The resident's page
 * then tells them when cover starts.
 */
import { describe, expect, it } from 'vitest';
import { idNumber } from '../support/enrollment-fixture.ts';
import { readPdf } from '../support/pdf-text.ts';
import { enabled, residentSignIn, serveAtWindow, shot, staffPage, useWorld } from './support.ts';

const w = useWorld();

describe.skipIf(!enabled)('the collection window', () => {
  it('takes a payment with its receipt and cover, shows the household’s payments, and imports a roster after its preview', async () => {
    const { context, page } = await staffPage(w, 'clerk');
    const person = await serveAtWindow(page, '测试5');
    await person.locator('[data-testid=window-enrollment]').waitFor();
    expect(await person.locator('[data-testid=window-enrollment]').textContent()).toContain('¥400.00');

    // An amount with three decimals never leaves the page: the clerk reads why in Chinese (issue 17).
    await person.locator('input[name=amount]').fill('400.005');
    await person.locator('form[data-testid=window-pay] button[type=submit]').click();
    await person.locator('[role=alert][data-code=INVALID_AMOUNT]').waitFor();
    expect(await person.locator('[role=alert]').textContent()).toBe('金额格式不正确（最多两位小数）');

    // Dated today, a 2025 contribution buys no cover: refused, nothing written.
    await person.locator('input[name=amount]').fill('400');
    await person.locator('form[data-testid=window-pay] button[type=submit]').click();
    await person.locator('[role=alert][data-code=NO_COVER_LEFT]').waitFor();
    expect(await person.locator('[role=alert]').textContent()).toContain('NO_COVER_LEFT');
    expect(await person.locator('[role=alert] strong').textContent()).toBe('422 · 缴费过晚，等待期结束时该年度已过，未作记录');
    expect(await w.t.db.query('SELECT 1 FROM payments')).toHaveLength(0);

    await person.locator('input[name=paidOn]').fill('2025-03-10');
    await person.locator('form[data-testid=window-pay] button[type=submit]').click();
    await person.locator('[data-testid=window-cover]').waitFor();
    const receipt = await person.locator('[data-testid=window-receipt]').textContent();
    expect(receipt).toMatch(/凭证号 SB2025-\d{8}/);
    expect(await person.locator('[data-testid=window-cover]').textContent()).toBe(
      '集中参保期外缴费：等待期 4 个月（固定 3 个月，断保 1 年另加 1 个月），2025-07-10 起享受待遇',
    );
    await person.locator('[data-testid=window-payments] tbody tr').first().waitFor();
    await shot(page, 'window-payment');

    const [printed] = await Promise.all([context.waitForEvent('page'), person.locator('[data-testid=window-receipt] a').first().click()]);
    await printed.waitForLoadState();
    const text = await printed.textContent('body');
    expect(text).toContain('城乡居民基本医疗保险缴费凭证');
    expect(text).toContain('དངུལ་སྤྲོད་ལག་ཁྱེར།');
    expect(text).toContain('ངོ་སྤྲོད་ལག་ཁྱེར་ཨང་།');
    expect(text).toContain('སྲིད་འཛིན་ས་ཁུལ།');
    expect(text).toContain('¥ 400.00 元');
    expect(text).toContain('2025-07-10');
    expect(text).not.toContain(w.f.pending.idNumber);
    await shot(printed, 'window-receipt');
    await printed.close();

    await person.locator('a', { hasText: '家庭参保与缴费' }).click();
    await page.locator('[data-testid=household-payments] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid=household-payments]').textContent()).toMatch(/SB2025-\d{8}/);
    expect(await page.locator('[data-testid=household]').textContent()).toContain('2025-07-10');
    await shot(page, 'window-household');

    await page.click('a[href="/console/window"]');
    const roster = page.locator('[data-testid=roster-import]');
    const csv = ['身份证号,姓名,行政区划', `${idNumber(8801)},新低保一,513330001001`, `${idNumber(8802)},新低保二,513330001001`].join('\n');
    await roster.locator('input[type=file]').setInputFiles({ name: 'dibao-add.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await roster.locator('select[name=mode]').selectOption('add');
    await roster.locator('input[name=from]').fill('2025-07-01');
    await roster.locator('form button[type=submit]').click();
    await roster.locator('[data-testid=roster-preview]').waitFor();
    expect(await roster.locator('[data-testid=roster-preview]').textContent()).toContain('2 行：新登记 2 人，新增身份 2，终止 0');
    expect(await w.t.db.query('SELECT 1 FROM rosters')).toHaveLength(0);
    await shot(page, 'window-roster-preview');
    await roster.locator('button[name=confirm]').click();
    await roster.locator('[data-testid=roster-done]').waitFor();
    expect(await w.t.db.query(`SELECT mode FROM rosters`)).toEqual([{ mode: 'add' }]);

    // A person the roster registered is enrolled at the window: the year's contribution, with the 低保 subsidy.
    await page.fill('[data-testid=collection-window] input[name=q]', '新低保一');
    await page.click('[data-testid=collection-window] form.search button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=window-found] tr').count()).toBe(1);
    await page.locator('[data-testid=window-found] button[name=serve]').click();
    await page.locator('[data-testid=window-person] button[name=enrol]').click();
    await page.locator('[data-testid=window-enrollment]').waitFor();
    expect(await page.locator('[data-testid=window-enrollment]').textContent()).toContain('¥100.00');

    // The tax bureau's file: preview, import, reconcile with the payment just taken.
    const tax = page.locator('[data-testid=tax-reconcile]');
    const taxCsv = ['voucher_no,id_number,year,amount,paid_on', `T-1,${w.f.pending.idNumber},2025,400.00,2025-03-10`, `T-2,${w.f.plain.idNumber},2025,400,2024-11-02`].join('\n');
    await tax.locator('input[type=file]').setInputFiles({ name: 'tax-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(taxCsv) });
    await tax.locator('form button[type=submit]').click();
    await tax.locator('button[name=confirmTax]').click();
    await expect.poll(() => w.t.db.query('SELECT 1 FROM tax_collections').then((r) => r.length)).toBe(2);
    await tax.locator('button[name=reconcile]').click();
    await tax.locator('[data-testid=tax-report]').waitFor();
    expect(await tax.locator('[data-testid=tax-report] p').textContent()).toBe('一致 1，仅税务有 1，仅本系统有 0，金额不符 0');
    await shot(page, 'window-tax-reconcile');

    // The same window in Tibetan.
    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.textContent('[data-testid=collection-window] h1')).toBe('དངུལ་སྡུད་སྒོ་ཁ།');
    expect(await page.locator('[data-testid=roster-import] h2').textContent()).toBe('ཐོབ་ཐང་མིང་ཐོ་ནང་འདྲེན།');
    expect(await page.locator('[data-testid=tax-report] td').first().textContent()).toBe('ཁྲལ་ཁང་ཁོ་ནར་ཡོད།');
    await shot(page, 'window-bo');
    await context.close();
  });

  it('tells the resident when cover starts after the waiting period', async () => {
    const context = await w.browser.newContext({ viewport: { width: 420, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, w, w.f.pending.idNumber);
    await page.locator('[data-testid=my-waiting]').waitFor();
    expect(await page.locator('[data-testid=my-waiting]').textContent()).toBe('您在集中参保期外缴费，等待期 4 个月，2025-07-10 起方可报销');
    // Their own receipt, as a PDF in Tibetan (issue 13).
    await page.locator('[data-testid=my-receipts] li').first().waitFor();
    expect(await page.locator('[data-testid=my-receipts] li').first().textContent()).toMatch(/^SB2025-\d{8} · 2025-03-10 · ¥400\.00/);
    const href = await page.locator('[data-testid=my-receipts] a[data-lang=bo]').first().getAttribute('href');
    const pdf = await context.request.get(`${w.url}${href}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(readPdf(await pdf.body()).pages[0]).toContain('ཐེངས་འདིའི་དངུལ་སྤྲོད།¥ 400.00 སྒོར།');
    await shot(page, 'resident-waiting');
    await context.close();
  });
});
