/**
 * The fund console in Chromium (issue 14): the fund report's charts and the
 * ledger's proof; a hospital's mismatch followed to resolution; a month
 * cleared with its statement; a payout refused for a card that fails its
 * check digit; the page in Tibetan.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { KEYS } from '../support/fixture.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { CHROMIUM, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;
let app: FastifyInstance;
let url: string;
let month = '';
let nextMonth = '';

beforeAll(async () => {
  if (!enabled) return;
  w = await startWorld();
  const [row] = await w.t.db.query<{ d: string }>("SELECT (((now() AT TIME ZONE 'UTC') + interval '8 hours')::date)::text AS d");
  month = row!.d.slice(0, 7);
  const [y, m] = month.split('-').map(Number) as [number, number];
  nextMonth = m === 12 ? `${y + 1}-01-03` : `${y}-${String(m + 1).padStart(2, '0')}-03`;
  // The hospital reports one bill fewer than the bureau has: an open reconciliation.
  const res = await w.app.inject({ method: 'POST', url: '/api/v1/reconciliations', headers: { authorization: `Bearer ${KEYS.county}` },
    payload: { requestId: 'WEB-DAY', from: row!.d, to: row!.d, totals: [{ insutype: '390', clr_type: '21', fixmedins_setl_cnt: 4, medfee_sumamt: 1, fund_pay_sumamt: 1, acct_pay: 0 }] } });
  if (res.statusCode !== 201) throw new Error(res.body);
  // The same database behind an app whose business day is in the next month, so this month can be cleared.
  app = await buildApp({ db: w.t.db, policies: loadFixturePolicies(), logLevel: 'silent', fund: { bankKey: randomBytes(32), today: () => nextMonth } });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await w?.close();
});

describe.skipIf(!enabled)('fund console', () => {
  it('reports the fund, follows a mismatch, clears the month, refuses a bad card, in Chinese and Tibetan', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, url, 'clerk');
    await page.click('nav.sidenav >> text=基金与清算');
    await page.waitForSelector('[data-testid=chart-fund-flows][data-rendered=true] svg');
    await page.waitForSelector('[data-testid=ledger-verify]');
    expect(await page.textContent('[data-testid=ledger-verify]')).toMatch(/^试算平衡为零,与 \d+ 笔来源一致$/);
    expect(await page.locator('[data-testid=fund-table] tbody tr').count()).toBeGreaterThan(1);
    await shot(page, 'console-fund-report');

    await page.click('[data-testid=fund-tabs] >> text=对账');
    await page.waitForSelector('[data-testid=reconciliation]');
    expect(await page.textContent('[data-testid=reconciliation] h3')).toContain('待处理');
    await page.fill('[data-testid=reconciliation-note]', '医院漏报一笔,已补传');
    await page.click('[data-testid=reconciliation-explain]');
    await page.selectOption('[data-testid=reconciliation-status]', 'explained');
    await page.waitForSelector('[data-testid=reconciliation] >> text=医院漏报一笔,已补传');
    await shot(page, 'console-fund-reconciliation');

    await page.click('[data-testid=fund-tabs] >> text=月度清算');
    await page.fill('[data-testid=clearing-month]', month);
    await page.click('[data-testid=clearing-run]');
    await page.waitForSelector('[data-testid=clearing-message]');
    expect(await page.textContent('[data-testid=clearing-message]')).toBe(`${month} 已清算 1 家医药机构`);
    const net = await page.textContent('[data-testid=clearing-table] [data-testid=clearing-net]');
    expect(net).toMatch(/^¥[\d,]+\.\d\d$/);
    // The same month again: refused, and the page says so.
    await page.click('[data-testid=clearing-run]');
    await page.waitForSelector('[data-testid=clearing-message] >> text=/已清算过/');
    expect(await page.textContent('[data-testid=clearing-message]')).toBe(`${month} 已清算 0 家医药机构 · 已清算过(更正作为新分录进入下月清算):H51333000001`);
    await shot(page, 'console-fund-clearing');

    await page.click('[data-testid=fund-tabs] >> text=救助金发放');
    await page.fill('[data-testid=payout-source-id]', '1');
    await page.fill('[data-testid=payout-card]', '6222021234567890129');
    await page.fill('[data-testid=payout-bank]', '中国农业银行');
    await page.click('[data-testid=payout-prepare]');
    await page.waitForSelector('.error');
    expect(await page.textContent('.error')).toContain('check digit');
    expect(await w.t.db.query('SELECT 1 FROM assistance_payouts')).toHaveLength(0);

    await page.selectOption('[data-testid=language]', 'bo');
    await page.click('[data-testid=fund-tabs] >> text=མ་དངུལ་གྱི་འཁོར་སྐྱོད།');
    await page.waitForSelector('[data-testid=chart-fund-flows][data-rendered=true] svg');
    expect(await page.textContent('[data-testid=ledger-verify]')).toContain('རྩིས་ཁྲ་སྙོམས་པ།');
    await shot(page, 'console-fund-bo');
    await context.close();
  });
});
