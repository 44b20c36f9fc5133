import { startWorld } from './test/browser/support.ts';
const w = await startWorld();
const errors: string[] = [];
try {
  const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${w.url}/`);
  await page.fill('input[name=username]', 'clerk'); await page.fill('input[name=password]', 'sanbao-demo-2025');
  await page.click('form[data-testid=staff-signin] button[type=submit]'); await page.waitForSelector('[data-testid=who]');
  for (const lang of ['zh-CN', 'bo']) {
    await page.selectOption('[data-testid=language]', lang);
    await page.goto(`${w.url}/console/window`);
    await page.fill('[data-testid=collection-window] input[name=q]', lang === 'bo' ? '测试1' : '测试5');
    await page.click('[data-testid=collection-window] form.search button[type=submit]');
    await page.locator('[data-testid=window-found] button[name=serve]').first().click();
    await page.locator('[data-testid=window-person]').waitFor();
    await page.waitForTimeout(800);
    if (lang === 'zh-CN') {
      await page.fill('input[name=amount]', '400'); await page.fill('input[name=paidOn]', '2025-03-10');
      await page.click('form[data-testid=window-pay] button[type=submit]');
      await page.locator('[data-testid=window-receipt]').waitFor();
    }
    await page.screenshot({ path: `/tmp/walk/${lang}-window.png`, fullPage: true });
    for (const [name, path] of [['enrollment', '/console/enrollment'], ['accounts', '/console/accounts'], ['ooa', '/console/out-of-area'], ['household', '/console/households/H-1'], ['person', `/console/persons/${w.f.poor.id}`], ['reports', '/console/reports']]) {
      await page.goto(`${w.url}${path}`); await page.waitForTimeout(1500);
      await page.screenshot({ path: `/tmp/walk/${lang}-${name}.png`, fullPage: true });
    }
  }
} finally {
  console.log(errors.join('\n'));
  await w.close();
}
