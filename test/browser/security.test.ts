/**
 * The console follows issue 10's findings in Chromium: a department liaison
 * downloads its list (nothing changes) and then confirms it received it (the
 * case moves to pushed); the read-only auditor is offered neither the list nor
 * "verify"; a liaison's person page shows no settlements and no birth date.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { CHROMIUM, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;

beforeAll(async () => {
  if (enabled) w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

const caseStatus = async (personId: number) =>
  (await w.t.db.query<{ status: string }>('SELECT status FROM monitoring_cases WHERE person_id = $1', [personId]))[0]?.status;

describe.skipIf(!enabled)('security in the console', () => {
  it('lets the civil affairs liaison download its list, then confirm it received it', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'civil');
    await page.goto(`${w.url}/console/monitoring`);
    const list = page.locator('[data-testid=list-civil_affairs]');
    await list.waitFor();
    expect(await list.textContent()).toContain('待接收 1 条');
    const [download] = await Promise.all([page.waitForEvent('download'), list.locator('[data-testid=list-download]').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(w.f.plain.idNumber);
    expect(await caseStatus(w.f.plain.id)).toBe('raised'); // viewing changes nothing
    await shot(page, 'console-department-list');
    await list.locator('[data-testid=list-mark-delivered]').click();
    await expect.poll(() => list.locator('[data-testid=list-marked]').textContent().catch(() => '')).toContain('已确认接收 1 条');
    expect(await caseStatus(w.f.plain.id)).toBe('pushed');
    const audit = await w.t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE actor = 'staff:civil' AND entity = 'department_list' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['person.unmask', 'monitoring.mark_delivered']);
    await context.close();
  });

  it('offers the auditor neither a department list nor "verify"', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'auditor');
    await page.goto(`${w.url}/console/monitoring`);
    await page.waitForSelector('[data-testid=cases] tbody tr');
    await page.locator('[data-testid=cases] tbody tr a').first().click();
    await page.waitForSelector('[data-testid=case]');
    expect(await page.locator('[data-testid=department-lists]').count()).toBe(0);
    expect(await page.locator('[data-testid=case] button').count()).toBe(0);
    await shot(page, 'console-auditor-case');
    await context.close();
  });

  it('shows a liaison the person of its case without settlements or birth date', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'civil');
    await page.goto(`${w.url}/console/persons/${w.f.plain.id}`);
    await page.waitForSelector('[data-testid=person]');
    expect(await page.locator('[data-testid=person-settlements]').count()).toBe(0);
    expect(await page.textContent('[data-testid=birth-date]')).toBe('—');
    expect(await page.textContent('[data-testid=person]')).not.toContain(w.f.plain.idNumber.slice(6, 14));
    await page.goto(`${w.url}/console/persons/${w.f.poor.id}`);
    const error = page.locator('[role=alert]');
    await error.waitFor();
    expect(await error.getAttribute('data-status')).toBe('404');
    await context.close();
  });

  it('tells a resident plainly when sign-in codes cannot be sent, and shows no demo hint', async () => {
    const off = await buildApp({ db: w.t.db, policies: loadFixturePolicies(), logLevel: 'silent' }); // no SMS gateway, not the demo
    const url = await off.listen({ host: '127.0.0.1', port: 0 });
    const context = await w.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${url}/me`);
    await page.waitForSelector('[data-testid=signin-off]');
    expect(await page.textContent('[data-testid=signin-off]')).toContain('服务站');
    expect(await page.locator('[data-testid=demo-hint]').count()).toBe(0);
    await shot(page, 'resident-signin-off');
    await context.close();
    await off.close();
  });

  it('lets the admin set an endpoint: a private address refused unless allowed, the secret never shown back', async () => {
    const secret = 'browser-test-secret-2025-abcdef';
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'admin');
    await page.goto(`${w.url}/console/monitoring`);
    const form = page.locator('[data-testid=endpoint-form]');
    await form.waitFor();
    await form.locator('select').selectOption('rural_revitalization');
    await form.locator('input[name=url]').fill('https://127.0.0.1/push');
    await form.locator('input[name=secret]').fill(secret);
    await form.locator('button[type=submit]').click();
    const error = page.locator('[data-testid=endpoints] [role=alert]');
    await error.waitFor();
    expect(await error.textContent()).toContain('PRIVATE_ENDPOINT');
    await form.locator('input[name=allowPrivateNetwork]').check();
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('[data-testid=endpoint-saved]');
    await expect.poll(() => page.locator('[data-testid=endpoints] table').textContent().catch(() => '')).toContain('https://127.0.0.1/push');
    expect(await page.content()).not.toContain(secret);
    expect(await form.locator('input[name=secret]').inputValue()).toBe('');
    await shot(page, 'console-endpoints');
    await context.close();
  });
});
