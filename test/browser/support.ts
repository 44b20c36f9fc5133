/**
 * The real service for browser tests: buildApp on a test database with the
 * fixture county, the demo staff and a few settlements, listening on
 * 127.0.0.1 port 0; and Debian's Chromium driven by playwright-core.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { loadDemoStaff } from '../../src/demo/staff.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import type { OtpSender } from '../../src/service/resident-auth.ts';
import { createTestDb, type TestDb } from '../support/db.ts';
import { KEYS, seedFixture, type Fixture } from '../support/fixture.ts';
import type { HospitalBill } from '../support/hospital.ts';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
export const CHROMIUM = process.env.SANBAO_CHROMIUM ?? '/usr/bin/chromium';
/** Whether the browser tests can run here (Chromium is installed); `describe.skipIf(!enabled)` otherwise. */
export const enabled = existsSync(CHROMIUM);

export interface BrowserWorld {
  t: TestDb;
  app: FastifyInstance;
  url: string;
  f: Fixture;
  browser: Browser;
  codes: { idNumber: string; code: string }[];
  close(): Promise<void>;
}

export async function startWorld(): Promise<BrowserWorld> {
  const t = await createTestDb();
  const policies = loadFixturePolicies();
  const f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  await t.db.query(`UPDATE divisions SET name_bo = 'སྡེ་དགེ་དགོན་ཆེན།', name_en = 'Gengqing' WHERE code = '513330001'`);
  const codes: { idNumber: string; code: string }[] = [];
  const otpSender: OtpSender = { send: async (m) => void codes.push({ idNumber: m.idNumber, code: m.code }) };
  const app = await buildApp({ db: t.db, policies, logLevel: 'silent', otpSender });
  await settleBills(app, [
    { transactionId: 'W-1', idNumber: f.poor.idNumber, date: '2025-03-10', total: 5_000_000, compliant: 4_000_000 },
    { transactionId: 'W-2', idNumber: f.poor.idNumber, date: '2025-06-01', total: 1_200_000, compliant: 1_000_000 },
    { transactionId: 'W-3', idNumber: f.alleviated.idNumber, date: '2025-05-20', total: 3_000_000, compliant: 2_500_000 },
    { transactionId: 'W-4', idNumber: f.plain.idNumber, date: '2025-04-02', total: 800_000, compliant: 700_000 },
    // Large enough to take the yearly self-pay over a monitoring threshold: an alert and its case.
    { transactionId: 'W-5', idNumber: f.plain.idNumber, date: '2025-07-15', total: 20_000_000, compliant: 12_000_000 },
  ]);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--no-first-run', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t, app, url, f, browser, codes,
    close: async () => {
      await browser.close();
      await app.close();
      await t.drop();
    },
  };
}

export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

export async function staffSignIn(page: Page, url: string, username: string, password = 'sanbao-demo-2025'): Promise<void> {
  await page.goto(`${url}/`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('form[data-testid=staff-signin] button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

/**
 * The file's world: started before its tests (then `setUp`, if given) when
 * Chromium is there, closed after them. The object returned is filled in by
 * then, so the tests read `w.url`, `w.t.db` … as from startWorld.
 */
export function useWorld(setUp?: (w: BrowserWorld) => Promise<void>): BrowserWorld {
  const w = {} as BrowserWorld;
  beforeAll(async () => {
    if (!enabled) return;
    Object.assign(w, await startWorld());
    await setUp?.(w);
  });
  afterAll(async () => {
    await w.close?.();
  });
  return w;
}

/** Settles inpatient bills as the county hospital (or the hospital of `key`), in order; the settlements' ids. Throws on any answer but 201. */
export async function settleBills(app: FastifyInstance, bills: readonly HospitalBill[], key: string = KEYS.county): Promise<number[]> {
  const ids: number[] = [];
  for (const b of bills) {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${key}` },
      payload: { transactionId: b.transactionId, patient: { idNumber: b.idNumber }, visit: { kind: 'inpatient', date: b.date }, amounts: { total: b.total, compliant: b.compliant } },
    });
    if (res.statusCode !== 201) throw new Error(`fixture settlement ${b.transactionId}: ${res.statusCode} ${res.body}`);
    ids.push(res.json().id);
  }
  return ids;
}

/** A new browser context (a 1280 × 1000 desktop unless `viewport` says otherwise; Chinese) with a staff member signed in to the console. */
export async function staffPage(
  w: BrowserWorld, username: string, viewport: { width: number; height: number } = { width: 1280, height: 1000 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await w.browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  await staffSignIn(page, w.url, username);
  return { context, page };
}

/** Signs a resident in on /me: the ID number, one new code sent to it (the demo sender's), the code. */
export async function residentSignIn(page: Page, w: BrowserWorld, idNumber: string): Promise<void> {
  const sent = () => w.codes.filter((c) => c.idNumber === idNumber);
  const before = sent().length;
  await page.goto(`${w.url}/me`);
  await page.fill('input[name=idNumber]', idNumber);
  await page.click('text=获取验证码');
  await expect.poll(() => sent().length).toBe(before + 1);
  await page.fill('input[name=code]', sent().at(-1)!.code);
  await page.click('form[data-testid=resident-signin] button[type=submit]');
}

/** At the collection window: finds people by `query` and serves the first found; the person's panel. */
export async function serveAtWindow(page: Page, query: string): Promise<Locator> {
  await page.click('a[href="/console/window"]');
  await page.fill('[data-testid=collection-window] input[name=q]', query);
  await page.click('[data-testid=collection-window] form.search button[type=submit]');
  await page.locator('[data-testid=window-found] button[name=serve]').first().click();
  return page.locator('[data-testid=window-person]');
}

/** A fee line of an itemised bill: its code, quantity and unit price (fen). */
export type FeeLine = readonly [code: string, quantity: number, unitPrice: number];

/**
 * Settles an itemised inpatient bill as the county hospital: every line of the
 * admission day, in 内科, its amount quantity × unit price; expects 201. The settlement's id.
 */
export async function settleItemised(
  app: FastifyInstance,
  bill: { transactionId: string; idNumber: string; date: string; dischargeDate: string; diagnosis?: string },
  lines: readonly FeeLine[],
): Promise<number> {
  const { transactionId, idNumber, ...visit } = bill;
  const res = await app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
    payload: {
      transactionId, patient: { idNumber }, visit: { kind: 'inpatient', ...visit },
      lines: lines.map(([code, quantity, unitPrice]) => ({ code, quantity, unitPrice, amount: quantity * unitPrice, date: bill.date, department: '内科' })),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
