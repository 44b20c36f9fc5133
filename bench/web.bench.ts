/**
 * `npm run bench:web`: time to interactive of the resident page (/me) and the
 * console home (/) under emulated Fast 3G (DevTools' preset: 562.5 ms round
 * trip, 1.44 Mbit/s down, 675 kbit/s up) with the CPU slowed 4×, in Debian's
 * Chromium through the DevTools protocol, cache empty. Printed beside a floor
 * measured in the same run — the same page's HTML alone, scripts off, over the
 * same network — and the ratio.
 *
 * Time to interactive here: from navigation to the later of (a) the page's
 * first control on screen (the sign-in form) and (b) the last response the
 * page waited for. The service runs in this process on an in-memory database
 * with the test county (the built web app in dist/web: `npm run build:web`).
 *
 * Settings (environment): BENCH_RUNS (3, the median is printed), SANBAO_CHROMIUM (/usr/bin/chromium).
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { startWorld } from '../test/browser/support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
const CPU_SLOWDOWN = 4;

const log = (message: string) => process.stderr.write(`${message}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function throttled(browser: Browser, scripts: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: scripts, locale: 'zh-CN' });
  await context.addInitScript(() => localStorage.setItem('sanbao.lang', 'zh-CN'));
  return context;
}

/** One cold load: milliseconds to interactive (or, scripts off, to the document's load event) and the bytes transferred. */
async function load(browser: Browser, url: string, ready: string | undefined): Promise<{ ms: number; bytes: number }> {
  const context = await throttled(browser, ready !== undefined);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  let lastResponse = 0;
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    lastResponse = performance.now();
    bytes += e.encodedDataLength;
  });
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  let shown = performance.now();
  if (ready) {
    await page.waitForSelector(ready, { state: 'visible' });
    shown = performance.now();
    await page.waitForLoadState('networkidle');
  }
  const ms = Math.max(shown, lastResponse) - t0;
  await context.close();
  return { ms, bytes };
}

async function main(): Promise<void> {
  log('starting the service on an in-memory database …');
  const w = await startWorld();
  try {
    const targets = [
      { name: '/me (resident page)', path: '/me', ready: '[data-testid=resident-signin]' },
      { name: '/ (console home)', path: '/', ready: 'form[data-testid=staff-signin]' },
    ];
    const lines: string[] = [];
    for (const target of targets) {
      const tti: number[] = [];
      const floor: number[] = [];
      let bytes = 0;
      for (let run = 0; run < RUNS; run++) {
        const page = await load(w.browser, `${w.url}${target.path}`, target.ready);
        const doc = await load(w.browser, `${w.url}${target.path}`, undefined);
        tti.push(page.ms);
        floor.push(doc.ms);
        bytes = page.bytes;
        log(`  ${target.name} run ${run + 1}: ${(page.ms / 1000).toFixed(2)} s (HTML alone ${(doc.ms / 1000).toFixed(2)} s)`);
      }
      const [t, f] = [median(tti), median(floor)];
      lines.push(
        `${target.name.padEnd(22)} time to interactive ${(t / 1000).toFixed(2)} s   floor (its HTML alone) ${(f / 1000).toFixed(2)} s   ratio ${(t / f).toFixed(2)}   transferred ${(bytes / 1024).toFixed(1)} KB`,
      );
    }
    console.log(`Fast 3G (562.5 ms RTT, 1.44 Mbit/s down), CPU ×${CPU_SLOWDOWN}, cold cache, median of ${RUNS}:`);
    for (const line of lines) console.log(line);
  } finally {
    await w.close();
  }
}

await main();
