/**
 * Issue 13 in the browser: a Lhasa clerk credits a month, opens an employee's
 * personal account (balance, statement, printable page), links a registered
 * relative and sees a stranger refused in words; reads the out-of-area report
 * both ways and imports a clearing list (a bad one refused with its rows);
 * the employee sees the balance on the resident page.
 */
import { describe, expect, it } from 'vitest';
import { creditMonth } from '../../src/service/personal-account-credit.ts';
import { createLhasaClerk, seedAccountFixture, type AccountFixture } from '../support/account-fixture.ts';
import { KEYS } from '../support/fixture.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { enabled, residentSignIn, settleBills, shot, staffPage, useWorld } from './support.ts';

let a: AccountFixture;

const w = useWorld(async (w) => {
  a = await seedAccountFixture(w.t.db);
  await createLhasaClerk(w.t.db);
  const policies = loadFixturePolicies();
  for (const month of ['2025-01', '2025-02', '2025-03']) await creditMonth(w.t.db, policies, { month, today: '2025-12-31', actor: 'test' });
  const res = await w.app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.lhasa}` },
    payload: { transactionId: 'B-ACCT-1', patient: { idNumber: a.head.idNumber }, visit: { kind: 'outpatient', date: '2025-07-01' }, amounts: { total: 100_000, compliant: 80_000 }, acctUsedFlag: true },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  // A Dege resident treated at the Lhasa hospital: Lhasa is the treatment place.
  await settleBills(w.app, [{ transactionId: 'B-OOA-1', idNumber: w.f.plain.idNumber, date: '2025-08-01', total: 300_000, compliant: 250_000 }], KEYS.lhasa);
});

describe.skipIf(!enabled)('personal accounts, family sharing and out-of-area statistics', () => {
  it('lets a clerk credit a month, read the account, link a relative and be refused a stranger', async () => {
    const { context, page } = await staffPage(w, 'lhasa_clerk', { width: 1280, height: 900 });
    await page.click('nav >> text=个人账户');
    await page.fill('[data-testid=credit-form] input', '2025-04');
    await page.click('[data-testid=credit-form] button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=credit-result]')).toContain('已划入 2 个账户');
    await shot(page, 'accounts-credit');

    await page.goto(`${w.url}/console/persons/${a.head.id}`);
    await page.click('[data-testid=account-link] a');
    await page.waitForSelector('[data-testid=account-balance]');
    await page.fill('[data-testid=account-year]', '2025');
    // 4 months of 160 yuan, less the 440 the account paid at the hospital.
    await expect.poll(() => page.textContent('[data-testid=account-balance]')).toBe('¥200.00');
    expect(await page.locator('[data-testid=statement-lines] tbody tr').count()).toBe(5);

    await page.fill('[data-testid=link-form] input', a.stranger.idNumber);
    await page.click('[data-testid=link-form] button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('户籍登记未显示此人为该职工的配偶、父母或子女');
    await page.fill('[data-testid=link-form] input', a.spouse.idNumber);
    await page.click('[data-testid=link-form] button[type=submit]');
    await page.waitForSelector('[data-testid=account-done]');
    await expect.poll(() => page.locator('[data-testid=sharing] tr[data-status=active]').count()).toBe(1);
    expect(await page.textContent('[data-testid=sharing]')).toContain('配偶');
    await shot(page, 'account-page');

    // The bill the account paid explains the payment as a step, after the funds.
    const [bill] = await w.t.db.query<{ id: number }>(`SELECT id::int AS id FROM settlements WHERE transaction_id = 'B-ACCT-1'`);
    await page.goto(`${w.url}/console/settlements/${bill!.id}`);
    await expect.poll(() => page.textContent('[data-testid=steps]')).toContain('个人账户支付：本人个人账户支付政策范围内自付部分（可付 ¥440.00）');
    await shot(page, 'account-settlement-step');
    await page.goto(`${w.url}/console/persons/${a.head.id}/account`);
    await page.waitForSelector('[data-testid=account-print]');

    const href = await page.getAttribute('[data-testid=account-print]', 'href');
    const print = await context.newPage();
    await print.goto(`${w.url}${href}`);
    expect(await print.textContent('h1')).toContain('职工医保个人账户年度对账单');
    await shot(print, 'account-statement-print');
    await context.close();
  });

  it('shows out-of-area treatment both ways, and refuses a bad clearing list with its rows', async () => {
    const { context, page } = await staffPage(w, 'lhasa_clerk', { width: 1280, height: 900 });
    await page.click('nav >> text=异地就医统计');
    await page.fill('[data-testid=ooa-year]', '2025');
    await expect.poll(() => page.textContent('[data-testid=ooa-treatment-count]')).toBe('1');
    expect(await page.textContent('[data-testid=ooa-treatment]')).toContain('德格县');
    const header = 'setl_id,insuplc_admdvs,mdtrtarea_admvs,fixmedins_name,certno,med_type,setl_time,medfee_sumamt,fund_pay_sumamt';
    const bad = `${header}\nX-1,540100,510100,华西医院,${a.head.idNumber},21,2025-03-02,100,150\n`;
    await page.setInputFiles('[data-testid=clearing-form] input[type=file]', { name: 'clearing.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.click('[data-testid=clearing-form] button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=clearing-problems]')).toContain('第 2 行 fund');
    const good = `${header}\nX-2,540100,510100,华西医院,${a.head.idNumber},21,2025-03-02,12000.50,9000\n`;
    await page.setInputFiles('[data-testid=clearing-form] input[type=file]', { name: 'clearing-2.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.click('[data-testid=clearing-form] button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=clearing-done]')).toContain('已导入 1 条');
    await expect.poll(() => page.textContent('[data-testid=ooa-insured-total]')).toBe('¥12,000.50');
    await shot(page, 'out-of-area-report');
    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.textContent('[data-testid=ooa-insured] h2')).toContain('འགན་ལེན་ས');
    await shot(page, 'out-of-area-report-bo');
    await context.close();
  });

  it('shows the employee the balance on the resident page', async () => {
    const context = await w.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, w, a.head.idNumber);
    await page.waitForSelector('[data-testid=my-balance]');
    expect(await page.textContent('[data-testid=my-balance]')).toBe('¥200.00');
    await shot(page, 'resident-account');
    await context.close();
  });
});
