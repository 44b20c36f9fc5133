/**
 * What `sanbao serve` prints at start, as an operator reads it: each warning
 * once (the SMS-off warning was printed twice: logged as JSON and again among
 * the start-up lines), and no runtime warning of Node's (deprecations,
 * experimental features) from our code or what it loads. The real process on
 * the embedded database, without the demo county (so resident sign-in is off).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startService } from './support/service-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-start-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (text: string, part: string) => text.split(part).length - 1;

describe('the start-up lines of sanbao serve', () => {
  it('say that resident sign-in is off once, each other warning at most once, and carry no warning of Node\'s', async () => {
    const service = await startService(dir, { SANBAO_DEMO: 'none', SANBAO_SMS_URL: '', SANBAO_LOG_LEVEL: 'info' });
    expect(await service.stop()).toBe(0);
    const out = service.output();
    expect(out).toContain('running at');
    expect(count(out, 'Resident sign-in is OFF')).toBe(1);
    // Each warning once, whether among the start-up lines or logged (a JSON line of level 40 or more).
    const warnings = out.split('\n').flatMap((line) => {
      if (line.startsWith('{')) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        return entry.level >= 40 ? [entry.msg] : [];
      }
      const m = /^ {2}WARNING: (.*)$/.exec(line);
      return m ? [m[1]!] : [];
    });
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings).toEqual([...new Set(warnings)]);
    expect(out).not.toMatch(/\((node|Use `node)|DeprecationWarning|ExperimentalWarning/);
  }, 180_000);
});
