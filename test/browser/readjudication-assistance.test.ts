/**
 * Issue 11 on screen, assistance on application: after a hospital reverses an
 * earlier bill, the resident reads on the later bill that the assistance paid
 * on application for it was worked out again and is paid more (补付), and on
 * the cancelled bill that what was paid on it is recovered; the console's
 * settlement page says the same to staff.
 */
import { describe, expect, it } from 'vitest';
import type { FixturePerson } from '../support/fixture.ts';
import { hospitalAuth } from '../support/hospital.ts';
import { staffToken } from '../support/monitoring.ts';
import { loadFixturePolicies } from '../support/policies.ts';
import { addEnrolledPerson } from '../support/more-persons.ts';
import { enabled, residentSignIn, settleBills, shot, staffPage, useWorld } from './support.ts';

let laterId = 0;
let person: FixturePerson;

const w = useWorld(async (w) => {
  person = await addEnrolledPerson(w.t.db, loadFixturePolicies());
  // A takes B past the critical-illness threshold; without A, more of B is left to assistance on application.
  const bills = [
    { transactionId: 'RA-A', date: '2025-02-01', total: 3_000_000, compliant: 3_000_000 },
    { transactionId: 'RA-B', date: '2025-03-01', total: 7_000_000, compliant: 4_000_000 },
  ];
  laterId = (await settleBills(w.app, bills.map((b) => ({ ...b, idNumber: person.idNumber })))).at(-1)!;
  const [c] = await w.t.db.query<{ id: number }>('SELECT id FROM monitoring_cases WHERE person_id = $1', [person.id]);
  await w.t.db.query(`UPDATE monitoring_cases SET status = 'verified' WHERE id = $1`, [c!.id]);
  const approved = await w.app.inject({
    method: 'POST', url: `/api/v1/monitoring/cases/${c!.id}/assistance-applications`, headers: await staffToken(w.app, 'admin'), payload: { identity: 'monitored' },
  });
  if (approved.statusCode !== 201) throw new Error(`application: ${approved.body}`);
  const reversed = await w.app.inject({ method: 'POST', url: '/api/v1/settlements/RA-A/reversal', headers: hospitalAuth(), payload: { reversalId: 'RA-A-R' } });
  if (reversed.statusCode !== 200) throw new Error(`reversal: ${reversed.body}`);
});

describe.skipIf(!enabled)('assistance on application after a reversal, on screen', () => {
  it('the resident reads that it was worked out again on the later bill, and recovered on the cancelled one', async () => {
    const context = await w.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, w, person.idNumber);
    await page.waitForSelector('[data-testid=adjustment]');
    await page.selectOption('[data-testid=language]', 'en');
    await expect.poll(async () => (await page.locator('[data-testid=adjustment]').allTextContents()).join('\n'))
      .toMatch(/medical assistance paid on application for this bill was worked out again:\s*.*Medical assistance pays CNY [\d,]+\.\d{2} more/s);
    const all = (await page.locator('[data-testid=adjustment]').allTextContents()).join('\n');
    expect(all).toMatch(/This bill of .* was cancelled, so the medical assistance paid on application is recovered:\s*.*Medical assistance recovers CNY [\d,]+\.\d{2}/s);
    await page.locator('[data-testid=adjustments]').first().scrollIntoViewIfNeeded();
    await shot(page, 'resident-adjustment-application-en', false);
    await context.close();
  });

  it('the console says the same on the later bill\'s page', async () => {
    const { context, page } = await staffPage(w, 'admin', { width: 1280, height: 900 });
    await page.goto(`${w.url}/console/settlements/${laterId}`);
    await page.waitForSelector('[data-testid=adjustment]');
    await expect.poll(() => page.textContent('[data-testid=adjustments]')).toContain('依申请发放的医疗救助按重新计算的结果调整');
    expect(await page.textContent('[data-testid=adjustments]')).toMatch(/医疗救助补付 ¥[\d,]+\.\d{2}/);
    await shot(page, 'console-settlement-application-adjusted');
    await context.close();
  });
});
