/**
 * The bureau admin's staff and facility screens in Chromium, the forced password
 * change, the first set-up on an empty database — all under the service's
 * Content-Security-Policy, which the built app must satisfy (no violations).
 */
import { existsSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { issueSetupToken } from '../../src/service/first-setup.ts';
import { createTestDb } from '../support/db.ts';
import { CHROMIUM, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;

beforeAll(async () => {
  if (enabled) w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

/** A page that records every CSP violation the browser reports. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const fromConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) fromConsole.push(m.text());
  });
  return { page, violations: async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []))] };
}

describe.skipIf(!enabled)('staff and facility administration in the console', () => {
  it('adds a staff member, who must change the temporary password at first sign-in', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const { page, violations } = await watchedPage(context);
    await staffSignIn(page, w.url, 'admin');
    await page.click('nav.sidenav a[href="/console/staff"]');
    await page.waitForSelector('[data-testid=staff] tbody tr');
    const form = page.locator('[data-testid=add-staff]');
    await form.locator('input[name=username]').fill('tsering');
    await form.locator('input[name=displayName]').fill('次仁');
    await form.locator('select[name=role]').selectOption('auditor');
    await form.locator('input[name=divisionCode]').fill('513330');
    await form.locator('button[type=submit]').click();
    const secret = (await page.locator('[data-testid=temporary-password]').textContent())!.trim();
    expect(secret).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    await expect.poll(() => page.locator('tr[data-username=tsering] [data-testid=state]').getAttribute('data-state')).toBe('must_change_password');
    await shot(page, 'console-staff-admin');
    expect(await violations()).toEqual([]);

    // The new member signs in with it and meets the password form, not the console.
    const other = await w.browser.newContext({ viewport: { width: 1000, height: 800 }, locale: 'zh-CN' });
    const second = await watchedPage(other);
    await staffSignIn(second.page, w.url, 'tsering', secret);
    await second.page.waitForSelector('[data-testid=change-password]');
    expect(await second.page.locator('nav.sidenav').count()).toBe(0);
    await second.page.fill('input[name=currentPassword]', secret);
    await second.page.fill('input[name=newPassword]', 'password1234');
    await second.page.fill('input[name=repeatPassword]', 'password1234');
    await second.page.click('[data-testid=change-password] button[type=submit]');
    await expect.poll(() => second.page.locator('[role=alert]').textContent()).toContain('WEAK_PASSWORD');
    await second.page.fill('input[name=newPassword]', 'Prayer-flags-in-wind');
    await second.page.fill('input[name=repeatPassword]', 'Prayer-flags-in-wind');
    await second.page.click('[data-testid=change-password] button[type=submit]');
    await second.page.waitForSelector('nav.sidenav');
    expect(await second.violations()).toEqual([]);
    await other.close();

    // The admin disables the account: its state shows, and it can no longer sign in.
    await page.locator('tr[data-username=tsering] [data-testid=toggle]').click();
    await expect.poll(() => page.locator('tr[data-username=tsering] [data-testid=state]').getAttribute('data-state')).toBe('disabled');
    const refused = await fetch(`${w.url}/api/v1/staff/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tsering', password: 'Prayer-flags-in-wind' }),
    });
    expect(refused.status).toBe(401);
    await context.close();
  });

  it('adds a facility with its key shown once; a disabled facility\'s key is refused', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const { page, violations } = await watchedPage(context);
    await staffSignIn(page, w.url, 'admin');
    await page.selectOption('[data-testid=language]', 'en');
    await page.goto(`${w.url}/console/facilities`);
    await page.waitForSelector('[data-testid=facilities] tbody tr');
    const form = page.locator('[data-testid=add-facility]');
    await form.locator('input[name=code]').fill('h51333000009');
    await form.locator('input[name=name]').fill('德格县藏医院');
    await form.locator('select[name=level]').selectOption('2');
    await form.locator('input[name=divisionCode]').fill('513330');
    await form.locator('button[type=submit]').click();
    const key = (await page.locator('[data-testid=api-key]').textContent())!.trim();
    expect(key).toMatch(/^sb_h51333000009_/);
    await page.locator('tr[data-code=H51333000009]').waitFor();
    expect(await page.locator('tr[data-code=H51333000009]').textContent()).not.toContain(key);
    const identify = () =>
      fetch(`${w.url}/api/v1/pre-settlements`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ patient: { idNumber: w.f.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-06-01' }, amounts: { total: 10000, compliant: 10000 } }),
      });
    expect((await identify()).status).toBe(200);
    await page.locator('tr[data-code=H51333000009] [data-testid=level]').selectOption('3');
    await expect.poll(() => page.locator('tr[data-code=H51333000009] [data-testid=level]').inputValue()).toBe('3');
    await page.locator('tr[data-code=H51333000009] [data-testid=toggle]').click();
    await expect.poll(() => page.locator('tr[data-code=H51333000009] [data-testid=state]').textContent()).toBe('Disabled');
    await shot(page, 'console-facilities');
    // A fresh service process would answer at once; this one may hold the key in its 30-second cache.
    const app2 = await buildApp({ db: w.t.db, policies: loadFixturePolicies(), logLevel: 'silent' });
    const refused = await app2.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: { authorization: `Bearer ${key}` },
      payload: { patient: { idNumber: w.f.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-06-01' }, amounts: { total: 10000, compliant: 10000 } },
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FACILITY_DISABLED']);
    await app2.close();

    // The reports (ECharts) and the audit log draw under the same policy.
    await page.goto(`${w.url}/console/reports`);
    for (const id of ['chart-coverage', 'chart-payments', 'chart-alerts', 'chart-townships']) await page.waitForSelector(`[data-testid=${id}][data-rendered=true] svg`);
    await page.hover('[data-testid=chart-payments] svg'); // a tooltip is HTML with styles of its own
    await page.goto(`${w.url}/console/audit`);
    await page.waitForSelector('[data-testid=audit] tbody tr');
    expect(await page.locator('[data-testid=audit]').textContent()).toContain('facility.disable');
    // Each action is named in the reader's words beside its code (issue 17).
    expect(await page.locator('[data-testid=audit-action]', { hasText: 'facility.disable' }).first().textContent()).toBe('Facilities · facility.disable');
    expect(await violations()).toEqual([]);
    await context.close();
  });

  it('sets up the first administrator of an empty database with the one-time token', async () => {
    const t = await createTestDb();
    const app = await buildApp({ db: t.db, policies: loadFixturePolicies(), logLevel: 'silent' });
    try {
      const issued = (await issueSetupToken(t.db))!;
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const context = await w.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'zh-CN' });
      const { page, violations } = await watchedPage(context);
      await page.goto(`${url}/`);
      await page.click('[data-testid=first-setup-link]');
      const form = page.locator('[data-testid=first-setup]');
      await form.locator('input[name=token]').fill(issued.token);
      await form.locator('input[name=divisionCode]').fill('513330');
      await form.locator('input[name=countyName]').fill('德格县');
      await form.locator('input[name=username]').fill('pema');
      await form.locator('input[name=displayName]').fill('白玛');
      await form.locator('input[name=password]').fill('Yak-wool-tent-1950');
      await shot(page, 'console-first-setup');
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('[data-testid=staff-signin] .ok');
      expect(await page.locator('[data-testid=first-setup-link]').count()).toBe(0);
      await staffSignIn(page, url, 'pema', 'Yak-wool-tent-1950');
      await page.waitForSelector('nav.sidenav a[href="/console/staff"]');
      expect(await violations()).toEqual([]);
      await context.close();
    } finally {
      await app.close();
      await t.drop();
    }
  });
});
