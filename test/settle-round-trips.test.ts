/**
 * The round trips of a settlement on PostgreSQL, counted on the wire: a TCP
 * relay between the service's pool and the server notes who sends; each run of
 * sends from the client before the server answers is one round trip. A bill
 * alone and a batch of bills each cost two (BEGIN with the context statement,
 * the write with COMMIT; before, four: BEGIN, context, write, COMMIT); a bill
 * that claim review flags keeps its COMMIT apart (the flags are written after
 * the bill, in its transaction).
 */
import { createServer, connect, Socket, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import type { Db } from '../src/store/db.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { findFacilityByCode, type FacilityRow } from '../src/store/repositories/facilities.ts';
import { settleBatch } from '../src/service/settle-batch.ts';
import { settleBill, type SettleRequest } from '../src/service/settlement-service.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { CODES, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

const pg = Boolean(process.env.SANBAO_TEST_DATABASE_URL);
let t: TestDb;
let f: Fixture;
let policies: PolicyRegistry;
let facility: FacilityRow;
let relay: Server;
const sockets: Socket[] = [];
/** 'C' for each chunk the client sent, 'S' for each the server sent, in order. */
const wire: string[] = [];
/** One connection through the relay. */
let db: Db;
/** Socket writes (system calls) of the pool's connection to the relay. */
let writes = 0;
type Writer = (this: Socket, ...args: unknown[]) => unknown;
const proto = Socket.prototype as unknown as { _write: Writer; _writev: Writer };
const { _write: write, _writev: writev } = proto;

beforeAll(async () => {
  t = await createTestDb();
  if (!pg) return;
  policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  facility = (await findFacilityByCode(t.db, CODES.county))!;
  const target = new URL(t.url!);
  relay = createServer((client) => {
    const server = connect(Number(target.port || 5432), target.hostname);
    sockets.push(client, server);
    client.on('data', (d) => (wire.push('C'), server.write(d)));
    server.on('data', (d) => (wire.push('S'), client.write(d)));
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
    client.on('error', () => undefined);
    server.on('error', () => undefined);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const via = new URL(t.url!);
  via.hostname = '127.0.0.1';
  via.port = String((relay.address() as { port: number }).port);
  db = await openPostgres(via.toString(), 1);
  const port = Number(via.port);
  proto._write = function (...args) {
    if (this.remotePort === port) writes++;
    return write.apply(this, args);
  };
  proto._writev = function (...args) {
    if (this.remotePort === port) writes++;
    return writev.apply(this, args);
  };
});
afterAll(async () => {
  Object.assign(proto, { _write: write, _writev: writev });
  await db?.close();
  for (const s of sockets) s.destroy();
  await new Promise((r) => (relay ? relay.close(r) : r(undefined)));
  await t?.drop();
});

/**
 * Round trips of what fn sends: runs of client chunks, each ended by the server's
 * answer. Each round trip is sent in one write (BEGIN with the first statement, the
 * last with COMMIT): one socket write each.
 */
async function roundTrips(fn: () => Promise<unknown>): Promise<number> {
  const from = wire.length;
  const writesBefore = writes;
  await fn();
  const trips = wire.slice(from).join('').replace(/C+/g, 'C').replace(/S+/g, '').length;
  expect(writes - writesBefore, 'socket writes of the pool').toBe(trips);
  return trips;
}

const bill = (transactionId: string, idNumber: string, date: string, extra: Partial<SettleRequest['visit']> = {}): SettleRequest => ({
  transactionId, patient: { idNumber }, visit: { kind: 'inpatient', date, ...extra }, amounts: { total: 300_000, compliant: 250_000 },
});

describe.skipIf(!pg)('round trips of a settlement on PostgreSQL', () => {
  it('a bill alone: two (BEGIN with the context, the write with COMMIT)', async () => {
    // The first bill of the year makes the accumulator row (one statement more); the second is the usual case.
    await settleBill({ db, policies }, facility, bill('rt-1', f.plain.idNumber, '2025-03-01'));
    const n = await roundTrips(() => settleBill({ db, policies }, facility, bill('rt-2', f.plain.idNumber, '2025-04-01')));
    expect(n).toBe(2);
    // A retry replays: nothing written, the answer read back.
    const again = await settleBill({ db, policies }, facility, bill('rt-2', f.plain.idNumber, '2025-04-01'));
    expect(again.replayed).toBe(true);
  });

  it('a batch: two, whatever its size', async () => {
    const people = [f.poor, f.alleviated, f.extreme];
    await settleBatch({ db, policies }, people.map((p, k) => ({ facility, request: bill(`rt-b0-${k}`, p.idNumber, '2025-03-01') })));
    let results: Awaited<ReturnType<typeof settleBatch>> = [];
    const n = await roundTrips(async () => {
      results = await settleBatch({ db, policies }, people.map((p, k) => ({ facility, request: bill(`rt-b1-${k}`, p.idNumber, '2025-05-01') })));
    });
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(n).toBe(2);
    const [{ times }] = (await t.db.query<{ times: number }>(`SELECT count(DISTINCT settled_at)::int AS times FROM settlements WHERE transaction_id LIKE 'rt-b1-%'`)) as [{ times: number }];
    expect(times).toBe(1);
  });

  it('a bill claim review flags: the flags written in its transaction, its COMMIT apart', async () => {
    // Readmitted four days after a stay for the same diagnosis at the same hospital: the readmission rule flags it.
    await settleBill({ db, policies }, facility, bill('rt-r1', f.plain.idNumber, '2025-06-01', { dischargeDate: '2025-06-05', diagnosis: 'J18.900' }));
    let id = 0;
    const n = await roundTrips(async () => {
      id = (await settleBill({ db, policies }, facility, bill('rt-r2', f.plain.idNumber, '2025-06-09', { dischargeDate: '2025-06-12', diagnosis: 'J18.900' }))).settlement.id;
    });
    const flags = await t.db.query<{ rule: string }>('SELECT rule FROM review_flags WHERE settlement_id = $1', [id]);
    expect(flags.map((r) => r.rule)).toContain('readmission');
    expect(n).toBe(4);
  });
});
