/**
 * Issue 10, finding 7: resident sign-in answers alike for every well-formed
 * ID number (same status, same body, limited alike), with limits per client
 * address and overall; codes go to a real SMS gateway over HTTP (a local
 * server here), to a 0600 file only in demo mode, and nowhere silently.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadConfig } from '../src/config.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { chooseOtpSender, httpOtpSender, logFileOtpSender } from '../src/service/otp-senders.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';

let t: TestDb;
let f: Fixture;
let policies: PolicyRegistry;
let server: Server;
let gateway: string;
const dir = mkdtempSync(join(tmpdir(), 'sanbao-signin-'));
const received: { headers: IncomingHttpHeaders; body: Record<string, string> }[] = [];
let failNext = false;

beforeAll(async () => {
  t = await createTestDb();
  policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = failNext ? 500 : 200;
      failNext = false;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function appWith(options: Partial<Parameters<typeof buildApp>[0]>): Promise<FastifyInstance> {
  return buildApp({ db: t.db, policies, logLevel: 'silent', ...options });
}
const ask = (app: FastifyInstance, idNumber: string, remoteAddress = '198.51.100.7') =>
  app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber }, remoteAddress });
const stranger = (n: number) => makeIdNumber('513330', '1970-05-05', 700 + n, 'M');

describe('answers alike for every well-formed number', () => {
  it('gives the insured and the unknown number the same status, body and limit', async () => {
    // The body names a masked phone: the insured person's real one, a stable decoy of the same shape for an unknown number.
    const shape = (body: string) => body.replace(/"phone":"1\d\d\*{4}\d{4}"/, '"phone":"1xx****xxxx"').replace(/"phone":null/, '"phone":"1xx****xxxx"');
    const app = await appWith({ otpSender: httpOtpSender({ url: gateway, token: 'sms-token-1' }) });
    const insured: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 7; i++) {
      const a = await ask(app, f.poor.idNumber, '198.51.100.1');
      const b = await ask(app, stranger(1), '198.51.100.2');
      insured.push(`${a.statusCode} ${shape(a.body)} ${a.headers['retry-after'] ? 'retry' : ''}`);
      unknown.push(`${b.statusCode} ${shape(b.body)} ${b.headers['retry-after'] ? 'retry' : ''}`);
    }
    expect(insured).toEqual(unknown);
    expect(insured[0]).toContain('"phone":"1xx****xxxx"');
    expect(insured.slice(0, 5).every((x) => x.startsWith('200 '))).toBe(true);
    expect(insured[5]).toMatch(/^429 .*TOO_MANY_CODES/);
    // The gateway got the insured person's codes (sent after the answer, so its latency tells nothing): to the phone, with the token.
    await expect.poll(() => received.length).toBe(5);
    expect(received[0]!.headers.authorization).toBe('Bearer sms-token-1');
    expect(received[0]!.body).toMatchObject({ to: '13800000002', code: expect.stringMatching(/^\d{6}$/) });
    expect(received[0]!.body.text).toContain(received[0]!.body.code);
    // The counters hold no ID number.
    expect(JSON.stringify(await t.db.query('SELECT bucket FROM rate_windows'))).not.toContain(f.poor.idNumber);
    await app.close();
  });

  it('answers before the gateway does, so its latency tells nothing', async () => {
    let release: () => void = () => undefined;
    const held: string[] = [];
    const slow = createServer((req, res) => {
      req.resume();
      held.push(req.url ?? '');
      release = () => res.writeHead(200).end('{}');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const app = await appWith({ otpSender: httpOtpSender({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hold`, token: 't' }) });
    const res = await ask(app, f.extreme.idNumber, '198.51.100.3');
    expect(res.statusCode).toBe(200);
    await expect.poll(() => held.length).toBe(1); // the gateway has the message and has not answered yet
    release();
    await app.close();
    await new Promise((resolve) => slow.close(resolve));
  });

  it('answers a malformed number 400, for anyone', async () => {
    const app = await appWith({ otpSender: httpOtpSender({ url: gateway, token: 't' }) });
    expect((await ask(app, '513330199001011235')).statusCode).toBe(400);
    await app.close();
  });
});

describe('limits per client address and overall', () => {
  it('refuses an address past its limit, whatever numbers it tries', async () => {
    const app = await appWith({ otpSender: httpOtpSender({ url: gateway, token: 't' }), limits: { codesPerAddress: { limit: 3, windowSeconds: 3600 } } });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await ask(app, stranger(10 + i), '203.0.113.9')).statusCode);
    expect(answers).toEqual([200, 200, 200, 429, 429]);
    expect((await ask(app, stranger(20), '203.0.113.10')).statusCode).toBe(200);
    await app.close();
  });

  it('refuses everyone past the overall limit', async () => {
    const app = await appWith({ otpSender: httpOtpSender({ url: gateway, token: 't' }), limits: { codesOverall: { limit: 0, windowSeconds: 3600 } } });
    const res = await ask(app, stranger(30), '192.0.2.44');
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('TOO_MANY_CODES');
    await app.close();
  });
});

describe('delivery', () => {
  it('says clearly when no gateway is configured, for every number, and writes no file', async () => {
    const app = await appWith({});
    for (const id of [f.plain.idNumber, stranger(40)]) {
      const res = await ask(app, id, '192.0.2.50');
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('SMS_NOT_CONFIGURED');
    }
    await app.close();
  });

  it('tells the sign-in page how codes are delivered (the demo hint only for the file)', async () => {
    const none = await appWith({});
    expect((await none.inject({ method: 'GET', url: '/api/v1/me/sign-in' })).json()).toEqual({ delivery: 'none' });
    await none.close();
    const file = await appWith({ otpSender: logFileOtpSender(join(dir, 'hint', 'otp.log')) });
    expect((await file.inject({ method: 'GET', url: '/api/v1/me/sign-in' })).json()).toEqual({ delivery: 'file' });
    await file.close();
  });

  it('chooses the gateway when configured, the file only in demo mode, and warns otherwise', () => {
    const otpFile = join(dir, 'otp.log');
    expect(chooseOtpSender({ sms: { url: gateway, token: 't' }, demo: 'none', otpFile }).delivery).toBe('sms');
    expect(chooseOtpSender({ sms: undefined, demo: 'small', otpFile }).delivery).toBe('file');
    const none = chooseOtpSender({ sms: undefined, demo: 'none', otpFile });
    expect(none).toMatchObject({ delivery: 'none', warning: expect.stringContaining('SANBAO_SMS_URL') });
    expect(none.sender.available).toBe(false);
  });

  it('reads the gateway from the environment, refusing half a configuration, masking the token when shown', () => {
    expect(loadConfig({ SANBAO_SMS_URL: gateway, SANBAO_SMS_TOKEN: 'secret-token' }).sms).toEqual({ url: gateway, token: 'secret-token' });
    expect(() => loadConfig({ SANBAO_SMS_URL: gateway })).toThrow('SANBAO_SMS_TOKEN');
    expect(() => loadConfig({ SANBAO_SMS_URL: 'ftp://x', SANBAO_SMS_TOKEN: 't' })).toThrow('SANBAO_SMS_URL');
    expect(loadConfig({}).sms).toBeUndefined();
  });

  it('reports a gateway refusal as a failed delivery', async () => {
    failNext = true;
    await expect(httpOtpSender({ url: gateway, token: 't' }).send({ personId: 1, idNumber: f.poor.idNumber, phone: '13800000002', code: '123456' })).rejects.toThrow('HTTP 500');
  });

  it('creates the demo file readable by its owner only, and tightens an existing one', async () => {
    const file = join(dir, 'data', 'otp.log');
    await logFileOtpSender(file).send({ personId: 1, idNumber: f.poor.idNumber, phone: null, code: '042917' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(f.poor.idNumber);
    const old = join(dir, 'old-otp.log');
    writeFileSync(old, '');
    chmodSync(old, 0o644);
    await logFileOtpSender(old).send({ personId: 1, idNumber: f.poor.idNumber, phone: null, code: '042917' });
    expect(statSync(old).mode & 0o777).toBe(0o600);
  });
});
