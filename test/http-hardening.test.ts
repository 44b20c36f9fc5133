/**
 * Finding 10 (issue 10): security headers on every response, HSTS and Secure
 * cookies behind a trusted TLS proxy only, an Origin check on cookie-signed
 * writes, deeply nested JSON and year-0 dates answered 400, exports audited once.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { CONTENT_SECURITY_POLICY, jsonDepthExceeds } from '../src/api/http-hardening.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';

let t: TestDb;
let app: FastifyInstance;
let proxied: FastifyInstance;
let f: Fixture;
let cookie: string;

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  proxied = await buildApp({ db: t.db, policies, logLevel: 'silent', trustProxy: '127.0.0.1' });
  const login = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'clerk', password: DEMO_PASSWORD } });
  cookie = String(login.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => {
  await app?.close();
  await proxied?.close();
  await t?.drop();
});

describe('security headers', () => {
  it('are on every kind of response: JSON, errors, 404s, the web app and the docs', async () => {
    for (const url of ['/api/v1/policies', '/api/v1/staff/me', '/nowhere', '/', '/console/persons', '/docs']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['strict-transport-security'], url).toBeUndefined(); // plain HTTP
    }
    expect((await app.inject({ method: 'GET', url: '/' })).headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('adds HSTS and Secure cookies over HTTPS from a trusted proxy, and ignores the header from anyone else', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const viaProxy = await proxied.inject({ method: 'POST', url: '/api/v1/staff/login', headers: https, remoteAddress: '127.0.0.1', payload: { username: 'auditor', password: DEMO_PASSWORD } });
    expect(viaProxy.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(String(viaProxy.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; .*; Secure$/);
    const untrusted = await proxied.inject({ method: 'GET', url: '/api/v1/policies', headers: https, remoteAddress: '203.0.113.9' });
    expect(untrusted.headers['strict-transport-security']).toBeUndefined();
    const notConfigured = await app.inject({ method: 'GET', url: '/api/v1/policies', headers: https });
    expect(notConfigured.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('the Origin check on cookie-signed writes', () => {
  const write = (headers: Record<string, string>) =>
    app.inject({ method: 'PUT', url: '/api/v1/console/delegations/513330001', headers: { cookie, host: 'sanbao.example', ...headers }, payload: { items: [] } });

  it('refuses a write from another site, or from an opaque origin', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://sanbao.example.evil.example']) {
      const res = await write({ origin });
      expect([res.statusCode, res.json().error.code], origin).toEqual([403, 'CROSS_ORIGIN']);
    }
    const byReferer = await write({ referer: 'https://evil.example/page' });
    expect(byReferer.statusCode).toBe(403);
  });

  it('lets the site\'s own pages, bearer tokens and reads through', async () => {
    const own = await write({ origin: 'http://sanbao.example' });
    expect(own.json().error?.code).not.toBe('CROSS_ORIGIN'); // the clerk may not set delegations: 403 NOT_PERMITTED, past the Origin check
    expect(own.json().error.code).toBe('NOT_PERMITTED');
    const read = await app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: { cookie, origin: 'https://evil.example' } });
    expect(read.statusCode).toBe(200);
    const hospital = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: { authorization: `Bearer ${KEYS.county}`, origin: 'https://evil.example' },
      payload: { patient: { idNumber: f.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-06-01' }, amounts: { total: 10000, compliant: 10000 } },
    });
    expect(hospital.statusCode).toBe(200);
  });

  it('covers the resident session cookie too', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/me/logout', headers: { cookie: 'sanbao_resident=abc', host: 'sanbao.example', origin: 'https://evil.example' },
    });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'CROSS_ORIGIN']);
  });
});

describe('bad input that used to be a 500', () => {
  it('answers deeply nested JSON with 400 and writes nothing', async () => {
    const deep = `{"transactionId":"D-1","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}`, 'content-type': 'application/json' }, payload: deep });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'JSON_TOO_DEEP']);
    expect(jsonDepthExceeds('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 32)).toBe(false); // brackets inside a string do not count
    expect(jsonDepthExceeds('{"a":"\\"[["}', 1)).toBe(false);
  });

  it('answers a visit dated 0000-01-01 with 400 naming the field', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { transactionId: 'Y0', patient: { idNumber: f.plain.idNumber }, visit: { kind: 'inpatient', date: '0000-01-01' }, amounts: { total: 100, compliant: 100 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('visit.date');
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM settlements WHERE transaction_id = 'Y0'`);
    expect(rows[0]!.n).toBe(0);
  });
});

describe('exports', () => {
  it('audit an unmasked download once', async () => {
    const count = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.unmask'`))[0]!.n;
    for (const url of ['/api/v1/enrollment/unenrolled?year=2025&unmask=true&format=csv', '/api/v1/enrollment/coverage?year=2025&unmask=true&format=xlsx']) {
      const before = await count();
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode, url).toBe(200);
      expect((await count()) - before, url).toBe(1);
    }
  });
});
