/**
 * Pushes to a department over HTTP against a real server on 127.0.0.1 started
 * here: it refuses the first delivery, then acknowledges; the signature and
 * the dedupe key are checked, and the retry waits for its backoff. Also the
 * job table: the monthly run on the 15th, claimed once.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadDemoStaff } from '../src/demo/staff.ts';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { runDueJobs, startMonitoringJobs } from '../src/jobs/monitoring-jobs.ts';
import { deliverDue } from '../src/service/monitoring-outbox.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';
import { settleBill, staffToken } from './support/monitoring.ts';

const SECRET = 'civil-affairs-shared-secret-2025';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let policies: PolicyRegistry;
let server: Server;
let url: string;
const received: { headers: IncomingHttpHeaders; body: string; answered: number }[] = [];
let hanging = 0;

beforeAll(async () => {
  t = await createTestDb();
  policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  // The department's receiver: 503 the first time, then 200.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/hang') return void (hanging += 1); // a receiver that never answers
      const answered = received.length === 0 ? 503 : 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: answered === 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sanbao/pushes`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await app?.close();
  await t?.drop();
});

describe('delivery to a department endpoint', () => {
  it('lets only the bureau admin configure an endpoint, HTTPS (or an allowed private network) only, and never shows the secret', async () => {
    const admin = await staffToken(app, 'admin');
    const clerk = await staffToken(app, 'clerk');
    const put = (headers: object, payload: object) => app.inject({ method: 'PUT', url: '/api/v1/monitoring/endpoints/civil_affairs', headers: headers as Record<string, string>, payload });
    expect((await put(clerk, { url, secret: SECRET, allowPrivateNetwork: true })).statusCode).toBe(403);
    expect((await put(admin, { url: 'http://civil.example.org/push', secret: SECRET })).json().error.code).toBe('INVALID_ENDPOINT');
    expect((await put(admin, { url, secret: 'short', allowPrivateNetwork: true })).statusCode).toBe(400);
    // The receiver runs on this machine: a private network the admin allows explicitly.
    expect((await put(admin, { url, secret: SECRET, allowPrivateNetwork: true })).statusCode).toBe(200);
    const list = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/endpoints', headers: admin })).json();
    expect(list.endpoints).toEqual([expect.objectContaining({ department: 'civil_affairs', url, secretSet: true })]);
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(JSON.stringify(await t.db.query(`SELECT detail FROM audit_log WHERE action = 'monitoring.endpoint'`))).not.toContain(SECRET);
  });

  it('retries with backoff until acknowledged, signed, with one dedupe key', async () => {
    await settleBill(app, f.plain.idNumber, 5_000_000, 1_000_000);
    const now = new Date();
    const first = await deliverDue(t.db, { now, backoffBaseMs: 30_000 });
    // county_bureau has no endpoint: it waits for its list to be downloaded, not attempted.
    expect(first).toEqual({ attempted: 1, delivered: 0, failed: 1 });
    const [pending] = await t.db.query<{ status: string; attempts: number; last_status: number; next_attempt_at: Date }>(
      `SELECT status, attempts, last_status, next_attempt_at FROM outbox WHERE department = 'civil_affairs'`);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, last_status: 503 });
    expect(new Date(pending!.next_attempt_at).getTime()).toBe(now.getTime() + 30_000);
    expect(await deliverDue(t.db, { now: new Date(now.getTime() + 29_000) })).toEqual({ attempted: 0, delivered: 0, failed: 0 });

    const second = await deliverDue(t.db, { now: new Date(now.getTime() + 31_000) });
    expect(second).toEqual({ attempted: 1, delivered: 1, failed: 0 });
    expect(await deliverDue(t.db, { now: new Date(now.getTime() + 3_600_000) })).toEqual({ attempted: 0, delivered: 0, failed: 0 });

    expect(received.map((r) => r.answered)).toEqual([503, 200]);
    for (const r of received) {
      const expected = `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`;
      expect(r.headers['x-sanbao-signature']).toBe(expected);
      expect(r.headers['content-type']).toBe('application/json');
      const body = JSON.parse(r.body);
      expect(r.headers['x-sanbao-dedupe-key']).toBe(body.dedupeKey);
      expect(body).toMatchObject({ kind: 'monitoring.alert', department: 'civil_affairs', risk: 'becoming_poor', person: { idNumber: f.plain.idNumber } });
    }
    expect(received[0]!.body).toBe(received[1]!.body); // the same body, so a receiver can dedupe on either

    const detail = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases?personId=' + f.plain.id, headers: await staffToken(app, 'clerk') })).json();
    expect(detail.items[0].status).toBe('pushed');
    const summary = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/outbox', headers: await staffToken(app, 'clerk') })).json();
    expect(summary.departments).toEqual([
      expect.objectContaining({ department: 'civil_affairs', pending: 0, delivered: 1, endpoint: url }),
      expect.objectContaining({ department: 'county_bureau', pending: 1, delivered: 0, endpoint: null }),
    ]);
  });
});

describe('the job table', () => {
  it('schedules the run for the 15th, runs it once when due, and never twice', async () => {
    const deps = { db: t.db, policies };
    expect(await runDueJobs(deps, new Date('2025-08-10T00:00:00Z'))).toBeUndefined(); // scheduled, not yet due
    const [job] = await t.db.query<{ month: string; run_at: Date; status: string }>('SELECT month, run_at, status FROM monitoring_jobs');
    expect(job).toEqual({ month: '2025-07', run_at: new Date('2025-08-14T18:00:00Z'), status: 'pending' });
    const [a, b] = await Promise.all([runDueJobs(deps, new Date('2025-08-16T00:00:00Z')), runDueJobs(deps, new Date('2025-08-16T00:00:00Z'))]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const jobs = await t.db.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM monitoring_jobs WHERE month = '2025-07'`);
    expect(jobs).toEqual([{ status: 'done', attempts: 1 }]);
    expect(await t.db.query(`SELECT actor FROM monitoring_runs WHERE month = '2025-07'`)).toEqual([{ actor: 'system:scheduler' }]);
    expect(await runDueJobs(deps, new Date('2025-08-20T00:00:00Z'))).toBeUndefined();
  });

  it('fails a run without a policy for its year at once, visibly, without retrying', async () => {
    const deps = { db: t.db, policies };
    expect(await runDueJobs(deps, new Date('2030-02-20T00:00:00Z'))).toMatchObject({ month: '2030-01' });
    const [job] = await t.db.query<{ status: string; attempts: number; last_error: string }>(`SELECT status, attempts, last_error FROM monitoring_jobs WHERE month = '2030-01'`);
    expect(job).toEqual({ status: 'failed', attempts: 1, last_error: 'no policy covers 2030' });
    expect(await runDueJobs(deps, new Date('2030-02-21T00:00:00Z'))).toBeUndefined();
  });
});

describe('shutdown', () => {
  it('cancels a push in flight instead of waiting for its timeout, and keeps it for later', async () => {
    const admin = await staffToken(app, 'admin');
    const hang = url.replace('/sanbao/pushes', '/hang');
    await app.inject({ method: 'PUT', url: '/api/v1/monitoring/endpoints/rural_revitalization', headers: admin, payload: { url: hang, secret: SECRET, allowPrivateNetwork: true } });
    await settleBill(app, f.alleviated.idNumber, 1_500_000, 300_000);
    const jobs = startMonitoringJobs({ db: t.db, policies }, 60_000);
    // Polled until the push is at the receiver (seconds, on a loaded machine), then stopped well within the push's 10 s timeout.
    for (let i = 0; i < 1_500 && hanging === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hanging).toBe(1); // the request is at the receiver, unanswered
    const t0 = performance.now();
    await jobs.stop();
    expect(performance.now() - t0).toBeLessThan(5_000);
    const [row] = await t.db.query<{ status: string; last_error: string }>(`SELECT status, last_error FROM outbox WHERE department = 'rural_revitalization'`);
    expect(row!.status).toBe('pending');
    expect(row!.last_error).toMatch(/abort/i);
  });
});
