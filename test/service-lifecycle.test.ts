/**
 * `npm start` as a newcomer runs it: the real process on the embedded database
 * with the demo county; then SIGTERM during a burst of settlements — every
 * answered settlement is stored, nothing is half-written, and a restart on the
 * same data directory finds accumulators that match the settlements to the fen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/open.ts';
import { startService } from './support/service-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-life-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = () => startService(dir);

const KEY = 'sb_demo_dege_county_hospital';

describe('the service process', () => {
  it('starts on the embedded PostgreSQL with the demo county, then shuts down gracefully on SIGTERM', async () => {
    const first = await start();
    expect(first.output()).toContain('Demo county loaded');
    expect(first.output()).toContain('sb_demo_dege_county_hospital');
    const health = await fetch(`${first.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'embedded' });

    const db0 = await fetch(`${first.url}/api/v1/policies`).then((r) => r.json());
    expect(db0.items.map((p: { id: string }) => p.id)).toContain('dege-2025');

    // Read enrolled demo people's ID numbers while the service is down (this test starts the server itself).
    const exited = new Promise<number | null>((r) => first.child.once('exit', (code) => r(code)));
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const db = await openDatabase({ dataDir: dir });
    const people = (
      await db.query<{ id_number: string }>(
        `SELECT p.id_number FROM persons p JOIN enrollments e ON e.person_id = p.id AND e.status = 'enrolled' AND e.year = 2025 ORDER BY p.id LIMIT 10`,
      )
    ).map((r) => r.id_number);
    await db.close();
    expect(people.length).toBe(10);

    const second = await start();
    expect(second.output()).not.toContain('Demo county loaded'); // the data directory kept the county
    const settle = (i: number) =>
      fetch(`${second.url}/api/v1/settlements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({
          transactionId: `life-${i}`,
          patient: { idNumber: people[i % people.length] },
          visit: { kind: 'inpatient', date: '2025-05-05' },
          amounts: { total: 400_000 + i, compliant: 300_000 },
        }),
      }).then(
        (r) => {
          if (r.status === 201) firstAnswered();
          return r.status;
        },
        () => 0, // refused: the server had stopped accepting
      );
    let firstAnswered: () => void = () => undefined;
    const answered = new Promise<void>((r) => (firstAnswered = r));
    const burst = Array.from({ length: 40 }, (_, i) => settle(i));
    await answered; // stop while the rest of the burst is in flight
    const stopped = new Promise<number | null>((r) => second.child.once('exit', (code) => r(code)));
    second.child.kill('SIGTERM');
    const statuses = await Promise.all(burst);
    expect(await stopped).toBe(0);
    expect(statuses.every((s) => s === 201 || s === 0 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0); // in-flight requests finished

    const after = await openDatabase({ dataDir: dir });
    const [row] = await after.query<{ n: number; self_pay: number; acc_self_pay: number; basic: number; acc_basic: number }>(
      `SELECT (SELECT count(*)::int FROM settlements WHERE transaction_id LIKE 'life-%') AS n, -- the demo holds its own bills too
              (SELECT coalesce(sum(self_pay), 0)::bigint FROM settlements) AS self_pay,
              (SELECT coalesce(sum(self_pay), 0)::bigint FROM accumulators) AS acc_self_pay,
              (SELECT coalesce(sum(amount_fen), 0)::bigint FROM settlement_funds WHERE fund = 'basic') AS basic,
              (SELECT coalesce(sum(basic), 0)::bigint FROM accumulators) AS acc_basic`,
    );
    await after.close();
    expect(row!.n).toBe(statuses.filter((s) => s === 201).length);
    expect(row!.acc_self_pay).toBe(row!.self_pay);
    expect(row!.acc_basic).toBe(row!.basic);
  }, 240_000); // two starts of the real service, the demo county loaded once
});
