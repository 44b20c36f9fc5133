/**
 * Issue 17: a monitoring case is finishable in the browser, each step by the
 * role that may take it — the department's list taken and confirmed (raised →
 * pushed), the visit by a station the bureau delegated it to, "no need to
 * monitor" explained when no line is set, the line set from its screen, a
 * determination of temporary assistance, the closure — and the read-only
 * auditor is offered nothing.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;
let caseId: number;

beforeAll(async () => {
  if (!enabled) return;
  w = await startWorld();
  const [row] = await w.t.db.query<{ id: number }>(
    'SELECT c.id FROM monitoring_cases c JOIN persons p ON p.id = c.person_id WHERE p.id_number = $1 ORDER BY c.id LIMIT 1',
    [w.f.plain.idNumber],
  );
  caseId = Number(row!.id);
});
afterAll(async () => {
  await w?.close();
});

async function as(username: string): Promise<Page> {
  const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await staffSignIn(page, w.url, username);
  await page.goto(`${w.url}/console/monitoring`);
  await page.waitForSelector('[data-testid=cases]');
  return page;
}

async function openCase(page: Page): Promise<void> {
  await page.click(`[data-testid=cases] a:text-is("${caseId}")`);
  await page.waitForSelector('[data-testid=case-history]');
}

const status = async () => (await w.t.db.query<{ status: string }>('SELECT status FROM monitoring_cases WHERE id = $1', [caseId]))[0]!.status;

describe.skipIf(!enabled)('the monitoring case workflow in the browser', () => {
  it('shows the real total with paging', async () => {
    const page = await as('admin');
    const n = (await w.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring_cases'))[0]!.n;
    expect(await page.textContent('[data-testid=pager-text]')).toContain(`共 ${n} 条`);
    await page.context().close();
  });

  it('lets the departments take their lists and confirm them (raised → pushed)', async () => {
    const page = await as('admin');
    const lists = () => page.locator('[data-testid=department-lists] [data-testid^=list-]').filter({ has: page.locator('[data-testid=list-download]') });
    await lists().first().waitFor();
    // Each department's list: download it, then confirm received (the list leaves the admin's view once nothing is pending).
    for (let left = await lists().count(); left > 0; left = await lists().count()) {
      const list = lists().first();
      await list.locator('[data-testid=list-download]').click();
      await list.locator('[data-testid=list-mark-delivered]').click();
      await expect.poll(() => lists().count()).toBe(left - 1);
    }
    await expect.poll(status).toBe('pushed');
    await page.context().close();
  });

  it('offers the read-only auditor no step', async () => {
    const page = await as('auditor');
    await openCase(page);
    await page.waitForSelector('[data-testid=no-actions]');
    expect(await page.locator('[data-testid=case-verify]').count()).toBe(0);
    expect(await page.locator('[data-testid=case-determine]').count()).toBe(0);
    await shot(page, 'monitoring-auditor');
    await page.context().close();
  });

  it('lets a station the bureau delegated the visit to record it', async () => {
    const admin = (await w.app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'admin', password: 'sanbao-demo-2025' } })).json().token;
    const put = await w.app.inject({
      method: 'PUT', url: '/api/v1/console/delegations/513330001', headers: { authorization: `Bearer ${admin}` }, payload: { items: ['monitoring_visit'] },
    });
    expect(put.statusCode).toBe(200);
    const page = await as('station1');
    await openCase(page);
    await page.fill('[data-testid=case] input[name=note]', '入户核实：家中四口人，主要劳动力住院');
    await page.fill('[data-testid=case] input[name=visitedOn]', '2025-07-20');
    await page.click('[data-testid=case-verify]');
    await expect.poll(status).toBe('verified');
    await page.waitForSelector('[data-testid=no-actions]');
    expect(await page.textContent('[data-testid=case-history]')).toContain('核实');
    await shot(page, 'monitoring-station-visit');
    await page.context().close();
  });

  it('explains a missing monitoring line, lets the admin set it, and finishes with every determination offered', async () => {
    const clerk = await as('clerk');
    await openCase(clerk);
    const kinds = await clerk.locator('[data-testid=case] select[name=kind] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(kinds.sort()).toEqual(['assistance_on_application', 'included', 'not_needed', 'sudden_hardship', 'temporary_assistance']);
    await clerk.selectOption('[data-testid=case] select[name=kind]', 'not_needed');
    await clerk.click('[data-testid=case-determine]');
    await clerk.waitForSelector('[data-testid=no-line-hint]');
    expect(await clerk.textContent('[role=alert]')).toContain('NO_MONITORING_LINE');
    await shot(clerk, 'monitoring-no-line');

    const admin = await as('admin');
    await admin.fill('[data-testid=line-form] input[name=region]', '513330');
    await admin.fill('[data-testid=line-form] input[name=year]', '2025');
    await admin.fill('[data-testid=line-form] input[name=line]', '7000');
    await admin.click('[data-testid=line-form] button[type=submit]');
    await admin.waitForSelector('[data-testid=monitoring-lines] table');
    expect(await admin.textContent('[data-testid=monitoring-lines] table')).toContain('¥7,000.00');

    await clerk.selectOption('[data-testid=case] select[name=kind]', 'temporary_assistance');
    await clerk.fill('[data-testid=case] input[name=amount]', '2000');
    await clerk.fill('[data-testid=case] input[name=note]', '临时救助 2000 元');
    await clerk.click('[data-testid=case-determine]');
    await expect.poll(status).toBe('determined');
    const [d] = await w.t.db.query<{ determination: string; determination_detail: { amount: number } }>(
      'SELECT determination, determination_detail FROM monitoring_cases WHERE id = $1', [caseId]);
    expect(d).toMatchObject({ determination: 'temporary_assistance', determination_detail: { amount: 200_000 } });

    await admin.reload();
    await admin.waitForSelector('[data-testid=cases]');
    await openCase(admin);
    await admin.fill('[data-testid=case] input[name=note]', '已发放临时救助，办结');
    await admin.click('[data-testid=case-close]');
    await expect.poll(status).toBe('closed');
    await shot(admin, 'monitoring-closed');
    await clerk.context().close();
    await admin.context().close();
  });
});
