/**
 * The real service for browser tests: buildApp on a test database with the
 * fixture county, the demo staff and a few settlements, listening on
 * 127.0.0.1 port 0; and Debian's Chromium driven by playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../src/api/app.ts';
import { loadDemoStaff } from '../../src/demo/staff.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import type { OtpSender } from '../../src/service/resident-auth.ts';
import { createTestDb, type TestDb } from '../support/db.ts';
import { KEYS, seedFixture, type Fixture } from '../support/fixture.ts';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
export const CHROMIUM = process.env.SANBAO_CHROMIUM ?? '/usr/bin/chromium';

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
  const bills = [
    { id: 'W-1', person: f.poor.idNumber, date: '2025-03-10', total: 5_000_000, compliant: 4_000_000 },
    { id: 'W-2', person: f.poor.idNumber, date: '2025-06-01', total: 1_200_000, compliant: 1_000_000 },
    { id: 'W-3', person: f.alleviated.idNumber, date: '2025-05-20', total: 3_000_000, compliant: 2_500_000 },
    { id: 'W-4', person: f.plain.idNumber, date: '2025-04-02', total: 800_000, compliant: 700_000 },
    // Large enough to take the yearly self-pay over a monitoring threshold: an alert and its case.
    { id: 'W-5', person: f.plain.idNumber, date: '2025-07-15', total: 20_000_000, compliant: 12_000_000 },
  ];
  for (const b of bills) {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: b.id, patient: { idNumber: b.person }, visit: { kind: 'inpatient', date: b.date }, amounts: { total: b.total, compliant: b.compliant } },
    });
    if (res.statusCode !== 201) throw new Error(`fixture settlement ${b.id}: ${res.statusCode} ${res.body}`);
  }
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
