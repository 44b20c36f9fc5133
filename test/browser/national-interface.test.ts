/** The bureau's view of the national interface's traffic, in Chromium: what a hospital's HIS sent, in three languages. */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReferenceCatalogues } from '../../src/service/insurance-catalogue-import.ts';
import { KEYS } from '../support/fixture.ts';
import { feeLine, his } from '../support/fsi.ts';
import { CHROMIUM, shot, staffSignIn, startWorld, type BrowserWorld } from './support.ts';

const enabled = existsSync(CHROMIUM);
let w: BrowserWorld;
let settleMsgid = '';

beforeAll(async () => {
  if (!enabled) return;
  w = await startWorld();
  await importReferenceCatalogues(w.t.db, 'test');
  const h = his(w.app, { day: '2025-08-01' });
  await h.signIn();
  const psn = String(w.f.plain.id);
  const reg = await h.call('2201', { data: { psn_no: psn, insutype: '390', begntime: '2025-08-01 09:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: w.f.plain.idNumber, ipt_otp_no: 'MZ1' } });
  const mdtrtId = reg.body.output.data.mdtrt_id;
  await h.call('2204', { feedetail: [feeLine('1', mdtrtId, psn, 'XA10BAE054A001', 10, '1.50', '2025-08-01')] });
  // Another facility's sign-in, so the filter has a second facility to choose.
  const clinic = his(w.app, { code: 'H51333000002', key: KEYS.clinic, day: '2025-08-01' });
  await clinic.signIn();
  const settled = await h.call('2207', { data: { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: w.f.plain.idNumber, medfee_sumamt: '15.00', psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' } });
  if (settled.body.infcode !== 0) throw new Error(settled.body.err_msg ?? 'settle failed');
  settleMsgid = settled.msgid;
});
afterAll(async () => {
  await w?.close();
});

describe.skipIf(!enabled)('the national interface in the console', () => {
  it('lists each transaction a hospital sent, with its settlement and amounts; a facility filter; in Tibetan too', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffSignIn(page, w.url, 'clerk');
    await page.click('a[href="/console/fsi"]');
    await page.waitForSelector('[data-testid=fsi-messages] tbody tr');
    expect(await page.locator('[data-testid=fsi-messages] tbody tr').count()).toBe(5);
    const row = page.locator(`tr[data-msgid="${settleMsgid}"]`);
    const text = await row.textContent();
    expect(text).toContain('2207 结算');
    expect(text).toContain('H51333000001');
    expect(text).toContain('15.00');
    expect(await page.textContent('[data-testid=fsi-messages] tbody tr:last-child')).toContain('9001 签到');
    await shot(page, 'national-interface-zh');
    await page.selectOption('[data-testid=fsi-facility]', 'H51333000002');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=fsi-messages] tbody tr').length === 1);
    expect(await page.textContent('[data-testid=fsi-messages] tbody tr')).toContain('H51333000002');
    await page.selectOption('[data-testid=fsi-facility]', '');
    await page.waitForSelector('[data-testid=fsi-messages] tbody tr');
    await page.selectOption('[data-testid=language]', 'bo');
    await page.waitForSelector('h1:has-text("རྒྱལ་ཡོངས་མཐུད་ཁ།")');
    expect(await row.textContent()).toContain('རྩིས་སྒྲིག');
    await shot(page, 'national-interface-bo');
    await context.close();
  });
});
