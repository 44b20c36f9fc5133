/**
 * Issue 17: responses are compressed — API bodies with brotli or gzip as the
 * client accepts, the web app from the build's precompressed twins — and
 * identical once decoded; nothing is compressed for a client that did not ask.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { chooseEncoding } from '../src/api/compression.ts';
import { precompress } from '../scripts/precompress.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { createTestDb, type TestDb } from './support/db.ts';

let t: TestDb;
let app: FastifyInstance;
const web = mkdtempSync(join(tmpdir(), 'sanbao-web-'));
const script = `console.log(${JSON.stringify('三保 '.repeat(2000))});`;
const page = `<!doctype html><title>三保</title>${'<p>医疗保障</p>'.repeat(300)}`;

beforeAll(async () => {
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), page);
  writeFileSync(join(web, 'assets', 'index-abc.js'), script);
  expect(precompress(web).files).toBe(2);
  t = await createTestDb();
  app = await buildApp({ db: t.db, policies: loadFixturePolicies(), logLevel: 'silent', webDir: web });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
  rmSync(web, { recursive: true, force: true });
});

describe('choosing the encoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.5', 'gzip'],
    ['identity', undefined],
    ['*', 'br'],
    ['gzip;q=0', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('compressed responses', () => {
  it('compresses an API body with brotli or gzip, identical once decoded', async () => {
    const plain = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const br = await app.inject({ method: 'GET', url: '/openapi.json', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gz = await app.inject({ method: 'GET', url: '/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
  });

  it('leaves small bodies as they are', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/me/sign-in', headers: { 'accept-encoding': 'br' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toEqual({ delivery: 'none' });
  });

  it('sends the web app’s precompressed page and assets', async () => {
    const me = await app.inject({ method: 'GET', url: '/me', headers: { 'accept-encoding': 'br' } });
    expect(me.headers['content-encoding']).toBe('br');
    expect(me.headers['content-type']).toMatch(/^text\/html/);
    expect(brotliDecompressSync(me.rawPayload).toString()).toBe(page);
    const js = await app.inject({ method: 'GET', url: '/assets/index-abc.js', headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(gunzipSync(js.rawPayload).toString()).toBe(script);
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });
});
