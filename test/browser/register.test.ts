/**
 * Issue 9 in Chromium: a bureau admin on a database set up WITHOUT the demo
 * (only the county, as `sanbao division import` of one row leaves it) imports
 * the townships and villages and a household register at the console — a
 * refused file names its bad rows — then opens a household at the window,
 * adds a person, and finds them in search.
 */
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { importDivisions } from '../../src/service/division-import.ts';
import { createStaff } from '../../src/service/staff-auth.ts';
import { createTestDb, type TestDb } from '../support/db.ts';
import { idNumber } from '../support/enrollment-fixture.ts';
import { DIVISIONS_CSV, REGISTER, registerCsv } from '../support/register-fixture.ts';
import { CHROMIUM, shot, staffSignIn } from './support.ts';

const enabled = existsSync(CHROMIUM);
const PASSWORD = 'county-admin-password-2026';
let t: TestDb;
let app: FastifyInstance;
let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!enabled) return;
  t = await createTestDb();
  await importDivisions(t.db, { fileName: 'county.csv', format: 'csv', content: Buffer.from('code,name,name_bo\n513330,德格县,སྡེ་དགེ་རྫོང་།'), scope: null, skipBadRows: false, dryRun: false, actor: 'cli' });
  await createStaff(t.db, { username: 'countyadmin', displayName: '县医保局管理员', password: PASSWORD, role: 'bureau_admin', divisionCode: '513330', department: null }, 'cli');
  app = await buildApp({ db: t.db, policies: loadFixturePolicies(), logLevel: 'silent' });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'] });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await t?.drop();
});

describe.skipIf(!enabled)('setting a county up at the console, without the demo', () => {
  it('imports divisions and a household register, adds a person at the window, and finds them', async () => {
    expect((await t.db.query('SELECT 1 FROM persons')).length).toBe(0);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, url, 'countyadmin', PASSWORD);
    await page.click('a[href="/console/register"]');

    const divisions = page.locator('[data-testid=import-divisions]');
    await divisions.locator('input[type=file]').setInputFiles({ name: 'divisions.csv', mimeType: 'text/csv', buffer: Buffer.from(DIVISIONS_CSV) });
    await divisions.locator('[data-testid=preview]').click();
    await divisions.locator('[data-testid=import-result] tbody tr').first().waitFor();
    expect(await divisions.locator('[data-testid=import-result] tbody tr').count()).toBe(6);
    expect(await divisions.locator('[data-testid=import-result]').textContent()).toContain('གྲོང་ཚོ་དང་པོ།');
    expect((await t.db.query('SELECT 1 FROM divisions')).length).toBe(1); // a preview writes nothing
    await shot(page, 'register-divisions-preview');
    await divisions.locator('[data-testid=confirm]').click();
    await expect.poll(() => divisions.locator('[data-testid=import-result] p').textContent()).toContain('已导入');
    expect((await t.db.query('SELECT 1 FROM divisions')).length).toBe(6);

    const households = page.locator('[data-testid=import-households]');
    const bad = registerCsv([...REGISTER, { household: 'H-009', id: idNumber(9500), relation: '配偶' }]);
    await households.locator('input[type=file]').setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: bad });
    await households.locator('[data-testid=preview]').click();
    await households.locator('[data-testid=bad-rows] li').first().waitFor();
    expect(await households.locator('[data-testid=bad-rows] li').allTextContents()).toEqual([expect.stringMatching(/第 7 行.*household H-009 has no head/)]);
    await shot(page, 'register-households-refused');
    await households.locator('input[type=file]').setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: registerCsv(REGISTER) });
    await households.locator('[data-testid=preview]').click();
    await households.locator('[data-testid=confirm]').click();
    await expect.poll(() => households.locator('[data-testid=import-result] p').textContent()).toMatch(/已导入.*新增 3 户、5 人/);
    expect((await t.db.query('SELECT 1 FROM persons')).length).toBe(5);

    // At the window: a new household in 二村, its head added with a Tibetan name.
    const form = page.locator('[data-testid=new-household]');
    await form.locator('select[name=village]').selectOption('513330001002');
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('[data-testid=add-member]');
    expect(page.url()).toContain('/console/households/513330001002-000001');
    const add = page.locator('[data-testid=add-member]');
    await add.locator('input[name=idNumber]').fill(idNumber(9600));
    await add.locator('input[name=name]').fill('白玛');
    await add.locator('input[name=nameBo]').fill('པདྨ།');
    await add.locator('input[name=phone]').fill('13912345678');
    await add.locator('select[name=relation]').selectOption('head');
    await add.locator('button[type=submit]').click();
    await page.locator('[data-testid=household] tbody tr', { hasText: '白*' }).waitFor();
    await shot(page, 'register-window-household');

    await page.click('a[href="/console/persons"]');
    await page.fill('input[name=q]', idNumber(9600));
    await page.click('form.searchbar button[type=submit]');
    const row = page.locator('[data-testid=persons] tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toMatch(/白\*.*པ\*+.*513330001002-000001/);
    await shot(page, 'register-window-search');
    const [audit] = await t.db.query<{ actor: string; detail: { via: string } }>(
      `SELECT a.actor, a.detail FROM audit_log a JOIN persons p ON a.entity_id = p.id::text WHERE a.action = 'person.create' AND p.id_number = $1`,
      [idNumber(9600)],
    );
    expect(audit).toMatchObject({ actor: 'staff:countyadmin', detail: { via: 'window' } });

    // Edit at the window: a new name and phone, then a move into household H-002 as a child.
    await row.first().locator('a').first().click();
    const edit = page.locator('[data-testid=edit-person]');
    await edit.locator('input[name=name]').waitFor();
    // Names are masked on the page, in the form too: a blank field keeps the name on record.
    await expect.poll(() => edit.locator('input[name=name]').getAttribute('placeholder')).toBe('白*');
    expect(await edit.locator('input[name=name]').inputValue()).toBe('');
    await edit.locator('input[name=name]').fill('白玛央宗');
    await edit.locator('input[name=phone]').fill('13912340000');
    await edit.locator('button[type=submit]').click();
    await edit.locator('text=已保存').waitFor();
    await edit.locator('input[name=householdCode]').fill('H-002');
    await edit.locator('select[name=relation]').selectOption('child');
    await edit.locator('button[type=submit]').click();
    await expect.poll(async () => (await t.db.query<{ code: string }>('SELECT h.code FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id_number = $1', [idNumber(9600)]))[0]?.code).toBe('H-002');
    const updates = await t.db.query<{ detail: { before: Record<string, string>; after: Record<string, string> } }>(
      `SELECT a.detail FROM audit_log a JOIN persons p ON a.entity_id = p.id::text WHERE a.action = 'person.update' AND p.id_number = $1 ORDER BY a.id`,
      [idNumber(9600)],
    );
    expect(updates.map((u) => u.detail.after)).toEqual([
      { name: '白玛央宗', phone: '13912340000' },
      { relation: 'child', divisionCode: '513330001001', householdCode: 'H-002' },
    ]);
    await shot(page, 'register-window-edit');

    // The register page in Tibetan.
    await page.click('a[href="/console/register"]');
    await page.selectOption('[data-testid=language]', 'bo');
    await page.locator('[data-testid=import-households] h2').waitFor();
    expect(await page.locator('[data-testid=import-households] h2').textContent()).toBe('ཁྱིམ་ཐོ་ནང་འདྲེན།');
    await shot(page, 'register-bo');
    await context.close();
  });
});
