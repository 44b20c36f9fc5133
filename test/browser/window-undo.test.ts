/**
 * Issue 17 in Chromium: what a clerk undoes at the window, each after a
 * preview of what will change — a payment (its receipt also as a PDF in
 * Chinese and Tibetan), a hospital's settlement, an out-of-area filing — and
 * never offered to a role that may not.
 */
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../support/pdf-text.ts';
import { enabled, serveAtWindow, shot, staffPage, useWorld } from './support.ts';

const w = useWorld();

/** Opens an undo panel, gives the reason and asks for the preview of what will change; the preview. */
async function previewUndo(panel: Locator, reason: string): Promise<Locator> {
  await panel.locator('button[name=undo]').click();
  await panel.locator('input[name=reason]').fill(reason);
  await panel.locator('button[name=preview]').click();
  const preview = panel.locator('[data-testid=undo-preview]');
  await preview.waitFor();
  return preview;
}

const settlementId = async (transactionId: string) =>
  Number((await w.t.db.query<{ id: number }>('SELECT id FROM settlements WHERE transaction_id = $1', [transactionId]))[0]!.id);

describe.skipIf(!enabled)('undo at the window', () => {
  it('takes a payment, offers its receipt as PDF in Chinese and Tibetan, and reverses it after the preview', async () => {
    const { context, page } = await staffPage(w, 'clerk');
    const person = await serveAtWindow(page, '测试5');
    await person.locator('input[name=amount]').fill('400');
    await person.locator('input[name=paidOn]').fill('2024-11-20');
    await person.locator('form[data-testid=window-pay] button[type=submit]').click();
    await person.locator('[data-testid=window-receipt]').waitFor();

    // The receipt as PDF, in each language, fetched as the page's link would (the session cookie).
    for (const [lang, words] of [['zh-CN', '本次缴费¥ 400.00 元'], ['bo', 'ཐེངས་འདིའི་དངུལ་སྤྲོད།¥ 400.00 སྒོར།']] as const) {
      const href = await person.locator(`[data-testid=window-receipt] a[data-lang="${lang}"]`).getAttribute('href');
      const res = await context.request.get(`${w.url}${href}`);
      expect(res.headers()['content-type']).toBe('application/pdf');
      expect(readPdf(await res.body()).pages[0]).toContain(words);
    }

    const row = person.locator('[data-testid=window-payments] tbody tr').first();
    const preview = await previewUndo(row.locator('[data-testid=payment-reversal]'), '收款时选错了人');
    expect(await preview.textContent()).toContain('已缴金额 ¥400.00 → ¥0.00；参保状态 已参保 → 未参保');
    expect(await preview.textContent()).toContain('待遇享受资格随之终止（起始日 2025-01-01 作废）');
    expect((await w.t.db.query<{ reversed_at: Date | null }>('SELECT reversed_at FROM payments'))[0]!.reversed_at).toBeNull();
    await shot(page, 'window-payment-reversal-preview');
    await preview.locator('button[name=confirm]').click();
    await expect.poll(() => w.t.db.query<{ reversed_at: Date | null }>('SELECT reversed_at FROM payments').then((r) => r[0]!.reversed_at !== null)).toBe(true);
    await expect.poll(() => person.locator('[data-testid=window-enrollment]').textContent()).toContain('未参保');
    await expect.poll(() => person.locator('[data-testid=payment-reversal]').count()).toBe(0);
    const [audit] = await w.t.db.query<{ detail: { reason: string } }>(`SELECT detail FROM audit_log WHERE action = 'payment.reverse'`);
    expect(audit!.detail.reason).toBe('收款时选错了人');
    await context.close();
  });

  it('reverses a hospital’s settlement at the window (in Tibetan), showing what each fund gets back and the later bill settled again', async () => {
    const id = await settlementId('W-4');
    const { context: auditor, page: look } = await staffPage(w, 'auditor');
    await look.goto(`${w.url}/console/settlements/${id}`);
    await look.locator('[data-testid=settlement]').waitFor();
    expect(await look.locator('[data-testid=settlement-reversal]').count()).toBe(0);
    await auditor.close();

    const { context, page } = await staffPage(w, 'clerk');
    await page.selectOption('[data-testid=language]', 'bo');
    await page.goto(`${w.url}/console/settlements/${id}`);
    const panel = page.locator('[data-testid=settlement-reversal]');
    const preview = await previewUndo(panel, 'སྨན་ཁང་གིས་ནོར་འཁྲུལ་ཐོག་ཐེངས་གཉིས་བསྐུར།');
    expect(await preview.textContent()).toContain('མ་དངུལ་སོ་སོས་ཐོ་འདིར་སྤྲད་པ་ཕྱིར་ལེན།');
    expect(await preview.locator('[data-testid=undo-funds] li').count()).toBeGreaterThan(0);
    // W-5, the same person's later bill, is settled again.
    expect(await preview.locator('[data-testid=undo-later] li').first().textContent()).toMatch(/^W-5/);
    expect((await w.t.db.query<{ status: string }>('SELECT status FROM settlements WHERE id = $1', [id]))[0]!.status).toBe('settled');
    await shot(page, 'window-settlement-reversal-preview-bo');
    await preview.locator('button[name=confirm]').click();
    await expect.poll(() => w.t.db.query<{ status: string }>('SELECT status FROM settlements WHERE id = $1', [id]).then((r) => r[0]!.status)).toBe('reversed');
    await expect.poll(() => page.locator('[data-testid=settlement] dl.facts').textContent()).toContain('ཕྱིར་བསྡུས།');
    await expect.poll(() => page.locator('[data-testid=settlement-reversal]').count()).toBe(0);
    await shot(page, 'window-settlement-reversed-bo');
    await context.close();
  });

  it('cancels an out-of-area filing after the preview; the auditor is offered no cancel', async () => {
    const { context, page } = await staffPage(w, 'clerk');
    await page.goto(`${w.url}/console/persons/${w.f.extreme.id}`);
    const form = page.locator('[data-testid=filing-form]');
    await form.locator('input').first().fill('成都市第一人民医院');
    await form.locator('button[type=submit]').click();
    await page.locator('[data-testid=filings] li').first().waitFor();
    const filing = page.locator('[data-testid=filings] li').first();
    const preview = await previewUndo(filing.locator('[data-testid=filing-cancel]'), '群众不再外出就医');
    expect(await preview.textContent()).toMatch(/撤销后，.* 在 成都市第一人民医院 的就医按未备案结算/);
    await shot(page, 'window-filing-cancel-preview');
    await filing.locator('button[name=confirm]').click();
    // The badge, not the "备案已撤销" the panel says at once: the list shows the filing as the server now holds it.
    await expect.poll(() => page.locator('[data-testid=filings] li .badge').first().textContent()).toBe('已撤销');
    await expect.poll(() => page.locator('[data-testid=filing-cancel]').count()).toBe(0);
    expect(await w.t.db.query(`SELECT 1 FROM audit_log WHERE action = 'filing.cancel'`)).toHaveLength(1);
    await context.close();

    const { context: auditor, page: look } = await staffPage(w, 'auditor');
    await look.goto(`${w.url}/console/persons/${w.f.extreme.id}`);
    await look.locator('[data-testid=filings] li').first().waitFor();
    expect(await look.locator('[data-testid=filing-cancel]').count()).toBe(0);
    await auditor.close();
  });
});
