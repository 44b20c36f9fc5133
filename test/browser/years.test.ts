/**
 * The years screen (bureau admin, issue 18): the id ranges as `year list`
 * shows them, opening the next year with one button, archiving a range once
 * a later one takes the bills — refused in the reader's language while a year
 * of its bills is open, then done once the year is closed and cleared.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { clearYearEndFor } from '../../src/service/clearing.ts';
import { closeYearAudited } from '../../src/service/year-end.ts';
import { CODES } from '../support/fixture.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { enabled, settleBills, shot, staffPage, useWorld } from './support.ts';

const w = useWorld();
afterAll(async () => {
  // The archive schema beside the test's own (PostgreSQL: a schema per test file).
  await w.t?.db.query(`DROP SCHEMA IF EXISTS "${await archiveSchema()}" CASCADE`).catch(() => undefined);
});

async function archiveSchema(): Promise<string> {
  return (await w.t.db.query<{ s: string }>(`SELECT current_schema() || '_archive' AS s`))[0]!.s;
}

describe.skipIf(!enabled)('the years screen', () => {
  it('opens the next years, refuses to archive a range holding bills of an open year, archives it once closed and cleared', async () => {
    const { context, page } = await staffPage(w, 'admin');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${w.url}/console/years`);
    const before = page.locator('[data-testid=range-before]');
    await before.waitFor();
    expect(await before.textContent()).toContain('5'); // the world's five bills, stored before any year was opened
    expect(await before.textContent()).toContain('新结算进入此区间');
    const openButton = page.locator('[data-testid=open-year]');
    const thisYear = new Date().getUTCFullYear();
    expect(await openButton.textContent()).toBe(`开启 ${thisYear} 年度`);
    await openButton.click();
    await expect.poll(() => page.locator('[data-testid=years-done]').textContent()).toBe(`${thisYear} 年度已开启：新结算编号自 ${thisYear}000000000 起`);
    const opened = page.locator(`[data-testid=range-${thisYear}]`);
    await expect.poll(() => opened.textContent()).toContain('新结算进入此区间');
    expect(await page.locator(`[data-testid=archive-${thisYear}]`).count()).toBe(0); // new bills go there: nothing to archive

    // A late bill of 2025 settled into this year's range, then the next year opened: this year's range can be archived once 2025 is.
    await settleBills(w.app, [{ transactionId: 'YR-1', idNumber: w.f.plain.idNumber, date: '2025-08-01', total: 300_000, compliant: 250_000 }]);
    await openButton.click();
    await expect.poll(() => page.locator('[data-testid=years-done]').textContent()).toContain(`${thisYear + 1} 年度已开启`);
    await expect.poll(() => opened.textContent()).toContain('1');
    const archive = page.locator(`[data-testid=archive-${thisYear}]`);
    await archive.click();
    const refusal = page.locator('[role=alert]');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('YEAR_NOT_CLOSED');
    expect(await refusal.textContent()).toContain('该区间内有结算所属年度尚未结账');
    await shot(page, 'years-refused');

    await closeYearAudited(w.t.db, 2025, 'test', null);
    await clearYearEndFor({ db: w.t.db, policies: loadFixturePolicies() }, { facility: CODES.county, year: 2025, assessment: '90%', actor: 'test', today: '2026-01-05' });
    await archive.click();
    const schema = await archiveSchema();
    await expect.poll(() => page.locator('[data-testid=years-done]').textContent()).toBe(`${thisYear} 年度已归档：1 笔结算连同基金、账单和明细移入 ${schema}`);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await expect.poll(() => opened.textContent()).toMatch(/由 staff:admin 归档/);
    expect(await archive.count()).toBe(0);
    expect(await page.locator('[data-testid=closed-years]').textContent()).toContain('2025');

    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.locator('h1').textContent()).toBe('ལོ་ཚིགས་དང་ཡིག་མཛོད།');
    await page.selectOption('[data-testid=language]', 'en');
    await expect.poll(() => opened.textContent()).toMatch(/archived .* by staff:admin/);
    expect(await page.locator('[data-testid=years-done]').textContent()).toBe(`${thisYear} archived: 1 settlements moved with their funds, bills and lines to ${schema}`);
    await shot(page, 'years-archived-en');
    await context.close();
  });

  it('is not in the menu of a clerk, and its API refuses one', async () => {
    const { context, page } = await staffPage(w, 'clerk');
    await page.locator('nav.sidenav').waitFor();
    expect(await page.locator('nav.sidenav a[href="/console/years"]').count()).toBe(0);
    const status = await page.evaluate(() => fetch('/api/v1/console/years').then((r) => r.status));
    expect(status).toBe(403);
    await context.close();
  });
});
