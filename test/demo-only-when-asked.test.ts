/**
 * Issue 9: an empty real database got the demo admin with its published password
 * and the demo hospitals' keys, because SANBAO_DEMO defaulted to small everywhere.
 * Now the demo loads unasked only into a new embedded database.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { DEMO_PASSWORD } from '../src/demo/staff.ts';
import { DEMO_HOSPITAL_KEY, demoToLoad, startService } from '../src/server.ts';
import type { Db } from '../src/store/db.ts';
import { embeddedLayout } from '../src/store/embedded/server.ts';
import { openDatabase } from '../src/store/open.ts';
import { findFacilityByApiKey } from '../src/store/repositories/facilities.ts';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sanbao-demo-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function demoTraces(db: Db): Promise<{ staff: number; persons: number; demoKey: boolean }> {
  const [row] = await db.query<{ staff: number; persons: number }>('SELECT (SELECT count(*)::int FROM staff_users) AS staff, (SELECT count(*)::int FROM persons) AS persons');
  return { ...row!, demoKey: (await findFacilityByApiKey(db, DEMO_HOSPITAL_KEY)) !== undefined };
}

const demoSignIn = (service: Awaited<ReturnType<typeof startService>>) =>
  service.app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'admin', password: DEMO_PASSWORD } });

const NOTHING = { staff: 0, persons: 0, demoKey: false };

describe('the demo county loads only when asked', () => {
  it('decides from SANBAO_DEMO, the kind of database and whether it is new', () => {
    const embeddedNew = { kind: 'embedded', created: true } as const;
    const embeddedOld = { kind: 'embedded', created: false } as const;
    const url = { kind: 'postgres' } as const;
    expect(demoToLoad('auto', embeddedNew, false)).toBe('small');
    expect(demoToLoad('auto', embeddedOld, false)).toBeUndefined(); // emptied by its county: stays empty
    expect(demoToLoad('auto', url, false)).toBeUndefined();
    expect(demoToLoad('none', embeddedNew, false)).toBeUndefined();
    expect(demoToLoad('small', url, false)).toBe('small');
    expect(demoToLoad('full', url, false)).toBe('full');
    expect(demoToLoad('small', url, true)).toBeUndefined(); // never into a database holding people
    expect(loadConfig({}).demo).toBe('auto');
    expect(loadConfig({ SANBAO_DEMO: '' }).demo).toBe('auto');
    expect(() => loadConfig({ SANBAO_DEMO: 'big' })).toThrow(/SANBAO_DEMO/);
  });

  it('an empty PostgreSQL at DATABASE_URL gets no demo admin and no demo keys; SANBAO_DEMO=small asks for them', async () => {
    // A real, empty PostgreSQL: an embedded server reached over TCP by its URL.
    const dir = newDir();
    const holder = await openDatabase({ dataDir: dir });
    const { password, port } = JSON.parse(readFileSync(embeddedLayout(dir).settings, 'utf8')) as { password: string; port: number };
    const url = `postgres://sanbao:${password}@127.0.0.1:${port}/sanbao`;
    try {
      const plain = await startService(loadConfig({ DATABASE_URL: url, PORT: '0', NODE_ENV: 'test', SANBAO_DATA_DIR: dir }));
      expect(plain.demoLoaded).toBe(false);
      expect(plain.demoPresent).toBe(false);
      expect(await demoTraces(plain.db)).toEqual(NOTHING);
      expect((await demoSignIn(plain)).statusCode).toBe(401);
      await plain.close();

      const asked = await startService(loadConfig({ DATABASE_URL: url, PORT: '0', NODE_ENV: 'test', SANBAO_DATA_DIR: dir, SANBAO_DEMO: 'small' }));
      expect(asked.demoLoaded).toBe(true);
      const traces = await demoTraces(asked.db);
      expect(traces.demoKey).toBe(true);
      expect(traces.staff).toBeGreaterThan(0);
      expect((await demoSignIn(asked)).statusCode).toBe(200);
      await asked.close();
    } finally {
      await holder.close();
    }
  });

  it('SANBAO_DEMO=none leaves even a new embedded database empty', async () => {
    const dir = newDir();
    const service = await startService(loadConfig({ PORT: '0', NODE_ENV: 'test', SANBAO_DATA_DIR: dir, SANBAO_DEMO: 'none' }));
    expect(service.db.kind).toBe('embedded');
    expect(await demoTraces(service.db)).toEqual(NOTHING);
    await service.close();
  });
});
