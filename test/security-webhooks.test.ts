/**
 * Issue 10, finding 11: department webhook endpoints never point at this
 * machine, link-local or private addresses unless the admin explicitly allows
 * a private network for the endpoint; every resolved address is checked when
 * saved and again when delivering (DNS rebinding); secrets are write-only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadDemoStaff } from '../src/demo/staff.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { deliverDue } from '../src/service/monitoring-outbox.ts';
import { isPrivateAddress } from '../src/service/outbound-http.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';
import { settleBill, staffToken } from './support/monitoring.ts';

const SECRET = 'rural-revitalization-secret-2025';
let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let server: Server;
let port: number;
let hits = 0;
let admin: { authorization: string };

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  admin = await staffToken(app, 'admin');
  server = createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on('end', () => res.writeHead(200).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await app?.close();
  await t?.drop();
});

const put = (payload: object) => app.inject({ method: 'PUT', url: '/api/v1/monitoring/endpoints/rural_revitalization', headers: admin, payload });

describe('which addresses are private', () => {
  it.each([
    ['127.0.0.1', true], ['127.8.9.10', true], ['10.1.2.3', true], ['172.16.5.5', true], ['172.31.255.255', true], ['192.168.1.1', true],
    ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['::1', true], ['::', true], ['fe80::1', true], ['fd12:3456::1', true],
    ['::ffff:127.0.0.1', true], ['::ffff:10.0.0.1', true], ['224.0.0.1', true], ['not-an-ip', true],
    ['8.8.8.8', false], ['172.32.0.1', false], ['100.128.0.1', false], ['2001:4860:4860::8888', false], ['::ffff:8.8.8.8', false],
  ])('%s private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('saving an endpoint', () => {
  it('refuses loopback, link-local and private hosts, checking every resolved address, writing nothing', async () => {
    for (const url of ['https://127.0.0.1/push', 'https://localhost/push', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.8/push', 'https://[::1]/push', 'https://[::ffff:127.0.0.1]/push']) {
      const res = await put({ url, secret: SECRET });
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, 'PRIVATE_ENDPOINT']);
    }
    expect((await put({ url: `http://127.0.0.1:${port}/push`, secret: SECRET })).json().error.code).toBe('INVALID_ENDPOINT');
    expect((await put({ url: 'https://user:pw@8.8.8.8/push', secret: SECRET })).json().error.code).toBe('INVALID_ENDPOINT');
    expect(await t.db.query('SELECT 1 FROM department_endpoints')).toEqual([]);
  });

  it('accepts a public address, and a private one only when the admin allows private networks for it', async () => {
    expect((await put({ url: 'https://8.8.8.8/sanbao', secret: SECRET })).statusCode).toBe(200);
    const res = await put({ url: `http://127.0.0.1:${port}/push`, secret: SECRET, allowPrivateNetwork: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ department: 'rural_revitalization', url: `http://127.0.0.1:${port}/push`, active: true, allowPrivateNetwork: true });
    const [audit] = await t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'monitoring.endpoint' ORDER BY id DESC LIMIT 1`);
    expect(audit!.detail).toMatchObject({ allowPrivateNetwork: true });
  });

  it('never gives the secret back', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/monitoring/endpoints', headers: admin });
    expect(res.body).not.toContain(SECRET);
    expect(res.json().endpoints[0]).not.toHaveProperty('secret');
    expect(res.json().endpoints[0]).toMatchObject({ department: 'rural_revitalization', secretSet: true, allowPrivateNetwork: true });
    const outbox = await app.inject({ method: 'GET', url: '/api/v1/monitoring/outbox', headers: admin });
    expect(outbox.body).not.toContain(SECRET);
  });
});

describe('delivering', () => {
  it('delivers to an allowed private endpoint', async () => {
    await settleBill(app, f.alleviated.idNumber, 1_500_000, 300_000); // falling back → rural revitalization
    expect(await deliverDue(t.db)).toEqual({ attempted: 1, delivered: 1, failed: 0 });
    expect(hits).toBe(1);
  });

  it('refuses at delivery time an endpoint whose host now resolves inward (as after DNS rebinding)', async () => {
    await settleBill(app, f.extreme.idNumber, 30_000_000, 5_000_000, '2025-06-01'); // becoming poor → civil affairs
    for (const url of [`http://localhost:${port}/push`, `http://127.0.0.1:${port}/push`]) {
      // Saved when the name still resolved outward (written straight to the table: the check is what is tested).
      await t.db.query(
        `INSERT INTO department_endpoints (department, url, secret, active, updated_by, allow_private_network) VALUES ('civil_affairs', $1, $2, true, 'test', false)
         ON CONFLICT (department) DO UPDATE SET url = $1`,
        [url, SECRET],
      );
      await t.db.query(`UPDATE outbox SET next_attempt_at = now() - interval '1 second', lease_until = NULL WHERE department = 'civil_affairs'`);
      const before = hits;
      expect(await deliverDue(t.db)).toEqual({ attempted: 1, delivered: 0, failed: 1 });
      expect(hits).toBe(before);
      const [row] = await t.db.query<{ last_error: string; status: string }>(`SELECT last_error, status FROM outbox WHERE department = 'civil_affairs'`);
      expect(row).toMatchObject({ status: 'pending', last_error: expect.stringContaining('private') });
    }
  });
});
