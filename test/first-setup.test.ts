/** The first administrator of a real county: a one-time set-up token made at start when there is no staff (issue 9). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startService, type RunningService } from '../src/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-setup-'));
let service: RunningService;

beforeAll(async () => {
  service = await startService({ ...loadConfig({ SANBAO_DATA_DIR: dir, SANBAO_DEMO: 'none' }), port: 0, logLevel: 'silent' });
});
afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, body: unknown) =>
  fetch(`${service.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const admin = { username: 'Dorje', displayName: '多吉', password: 'Snow-lion-over-Dege', divisionCode: '513330', countyName: '德格县' };

describe('first set-up', () => {
  it('makes a token at start when the database has no staff, stored only as its hash', async () => {
    expect(service.setupToken?.token).toMatch(/^setup_[A-Za-z0-9_-]{32}$/);
    expect(service.setupToken!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const stored = await service.db.query<{ token_hash: string }>('SELECT token_hash FROM staff_setup_tokens');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(service.setupToken!.token);
    expect(await (await fetch(`${service.url}/api/v1/staff/setup`)).json()).toEqual({ needed: true });
  });

  it('refuses a wrong token and bad input, spending nothing', async () => {
    const wrong = await post('/api/v1/staff/setup', { ...admin, token: 'setup_guess' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('INVALID_SETUP_TOKEN');
    const weak = await post('/api/v1/staff/setup', { ...admin, token: service.setupToken!.token, password: 'dorje-1234567' });
    expect([weak.status, (await weak.json()).error.code]).toEqual([400, 'WEAK_PASSWORD']);
    const noCounty = await post('/api/v1/staff/setup', { ...admin, token: service.setupToken!.token, countyName: undefined });
    expect([noCounty.status, (await noCounty.json()).error.code]).toEqual([400, 'COUNTY_NAME_REQUIRED']);
    const rows = await service.db.query<{ n: number }>('SELECT (SELECT count(*) FROM staff_users)::int + (SELECT count(*) FROM divisions)::int AS n');
    expect(rows[0]!.n).toBe(0);
  });

  it('creates the first bureau admin and the county with the token, once; the admin signs in without a forced change', async () => {
    const made = await post('/api/v1/staff/setup', { ...admin, token: service.setupToken!.token });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ username: 'dorje' });
    const again = await post('/api/v1/staff/setup', { ...admin, username: 'second', token: service.setupToken!.token });
    expect([again.status, (await again.json()).error.code]).toEqual([409, 'SETUP_DONE']);
    expect(await (await fetch(`${service.url}/api/v1/staff/setup`)).json()).toEqual({ needed: false });

    const login = await post('/api/v1/staff/login', { username: 'dorje', password: admin.password });
    expect(login.status).toBe(200);
    const body = await login.json();
    expect(body.staff).toMatchObject({ role: 'bureau_admin', divisionCode: '513330', mustChangePassword: false });
    const list = await fetch(`${service.url}/api/v1/console/staff`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(list.status).toBe(200);
    const audit = await service.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE actor IN ('setup', 'system') ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['staff.setup_token', 'division.create', 'staff.create', 'staff.first_setup']);
  });
});
