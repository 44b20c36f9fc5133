/** The DRG console in Chromium: the report's charts and tables, an outlier followed to its grouping rules and payment, Tibetan. */
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { loadPolicies } from '../../src/domain/policy/registry.ts';
import { drgContext } from '../../src/service/drg-catalogues.ts';
import { groupPeriod } from '../../src/service/drg-grouping.ts';
import { computeRates, payMonth } from '../../src/service/drg-payments.ts';
import { generateDischarges } from '../../src/demo/drg-discharges.ts';
import { importAbstracts } from '../../src/service/drg-abstracts.ts';
import { DRG_FACILITIES, DRG_POLICY_DIR, seedDrg } from '../support/drg-fixture.ts';
import { CHROMIUM, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  if (!enabled) return;
  w = await startWorld();
  const drg = drgContext(w.t.db, { policyDir: DRG_POLICY_DIR });
  await seedDrg(w.t.db, drg, { 2022: 300, 2023: 149 });
  // One more with a principal diagnosis a coder would refuse: it must show as ungroupable with its reason.
  const [bad] = [...generateDischarges({ count: 1, seed: 7, year: 2023, facilities: DRG_FACILITIES, firstId: 9_000 })];
  bad!.diseinfo = [{ diag_code: 'Z37.000', maindiag_flag: '1' }];
  await importAbstracts(w.t.db, drg, { content: Buffer.from(JSON.stringify([bad])), format: 'json', skipBadRows: false, actor: 'test' });
  await groupPeriod(w.t.db, drg, { from: '2022-01-01', to: '2023-12-31', actor: 'test' });
  await computeRates(w.t.db, drg, { policy: 'test-2023', from: '2022-01-01', to: '2022-12-31', actor: 'test' });
  for (let m = 1; m <= 12; m++) await payMonth(w.t.db, drg, { policy: 'test-2023', month: `2023-${String(m).padStart(2, '0')}`, actor: 'test' });
  // The same database behind an app that knows the tests' DRG policy.
  app = await buildApp({ db: w.t.db, policies: loadPolicies(), logLevel: 'silent', drg });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await w?.close();
});

describe.skipIf(!enabled)('DRG console', () => {
  it('shows coverage, CMI, cost per case by level, surplus and outliers, and explains an outlier', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, url, 'auditor');
    await page.click('nav.sidenav >> text=DRG 付费');
    await page.waitForSelector('[data-testid=drg-summary]');
    await page.selectOption('[data-testid=drg-policy]', 'test-2023');
    await page.waitForSelector('[data-testid=drg-outliers] tbody tr');
    expect(await page.textContent('[data-testid=drg-summary]')).toMatch(/^150 例出院，\d+ 例入组（\d+\.\d\d%），用到 \d+ 个病组；\d+ 例不能入组；分组方案 illustrative-2025$/);
    expect(await page.textContent('[data-testid=drg-reasons]')).toContain('不能作主要诊断');
    for (const chart of ['coverage', 'cmi', 'cost', 'surplus']) {
      await page.waitForSelector(`[data-testid=chart-drg-${chart}][data-rendered=true] svg`);
    }
    expect(await page.locator('[data-testid=chart-drg-cmi]').textContent()).toContain('海西州人民医院');
    const levels = await page.locator('[data-testid=drg-levels] tbody tr').allTextContents();
    expect(levels).toHaveLength(2);
    expect(levels[0]).toMatch(/^3级医院¥[\d,]+\.\d\d¥[\d,]+\.\d\d[+-]\d+\.\d\d%/);
    const outliers = page.locator('[data-testid=drg-outliers] tbody tr');
    expect(await outliers.count()).toBeGreaterThan(0);
    await shot(page, 'console-drg-zh');

    await outliers.first().locator('a').click();
    await page.waitForSelector('[data-testid=drg-steps] li');
    const steps = await page.locator('[data-testid=drg-steps] li').allTextContents();
    expect(steps[0]).toMatch(/^主要诊断大类（MDC） MDC[A-Z] /);
    expect(steps.at(-1)).toMatch(/^病组（DRG） [A-Z]{2}\d\d: /);
    expect(await page.textContent('[data-testid=drg-payments]')).toMatch(/费用极(高|低)病例/);
    expect(await page.textContent('[data-testid=drg-discharge] dl')).toMatch(/P\d{2}\*+\d{3}/); // the person number masked
    await shot(page, 'console-drg-discharge-zh');

    await page.selectOption('[data-testid=language]', 'bo');
    await expect.poll(() => page.locator('h1').first().textContent()).toMatch(/^སྨན་ཁང་ནས་ཐོན་པའི་ནད་དཔེ།/);
    await page.goBack();
    await page.waitForSelector('[data-testid=drg-summary]');
    expect(await page.textContent('[data-testid=drg-summary]')).toMatch(/^སྨན་ཁང་ནས་ཐོན་པ་ 150།/);
    await shot(page, 'console-drg-bo');
    await context.close();
  });

  it('is not in the menu of a station clerk, and the server refuses it', async () => {
    const context = await w.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, url, 'station1');
    expect(await page.locator('nav.sidenav >> text=DRG 付费').count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch('/api/v1/drg/report?policy=test-2023')).status);
    expect(status).toBe(403);
    await context.close();
  });
});
