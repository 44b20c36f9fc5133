/**
 * Group commit (src/service/settle-batch.ts, settle-batcher.ts): bills settled
 * together in one transaction give the same answers, money, accumulators and
 * ledger as the same bills settled one by one; a bill the checks refuse fails
 * alone; a batch whose write fails falls back to one by one; concurrent HTTP
 * settles really share transactions.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { contributionFor } from '../src/domain/enrollment/contribution.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import type { Db } from '../src/store/db.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { findFacilityByCode, type FacilityRow } from '../src/store/repositories/facilities.ts';
import { insertPerson } from '../src/store/repositories/persons.ts';
import { settleBatch, type BatchItem, type BatchResult } from '../src/service/settle-batch.ts';
import { settleBatcher, takeBatch } from '../src/service/settle-batcher.ts';
import { settleBill, type SettleRequest } from '../src/service/settlement-service.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { CODES, KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let batched: TestDb;
let alone: TestDb;
let policies: PolicyRegistry;
let f: Fixture;
/** Every ID number the requests use: the fixture's people, extra people, one nobody has. */
let people: string[];
let facilities: { a: FacilityRow[]; b: FacilityRow[] };

/** The same extra people in both databases (same ID numbers, same ids). */
async function addPeople(db: Db, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let n = 1; n <= count; n++) {
    const birth = `19${60 + n}-0${1 + (n % 9)}-1${n % 10}`;
    const idNumber = makeIdNumber('513330', birth, 700 + n, n % 2 ? 'M' : 'F');
    const id = await insertPerson(db, { idNumber, name: `批${n}`, sex: n % 2 ? 'M' : 'F', birthDate: birth, divisionCode: '513330001001', phone: `137${String(n).padStart(8, '0')}`, qrToken: `qr_batch_${n}` });
    const c = contributionFor(policies.get('dege-2025')!, []);
    await db.query(
      `INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, subsidy_identity, subsidy_kind,
         subsidy_department, individual_fen, paid_fen, status)
       VALUES ($1, 2025, 'dege-2025', 'resident', $2, $3, $4, $5, $6, $7, $8, $8, 'enrolled')`,
      [id, c.tier, c.contribution, c.subsidy, c.subsidyIdentity, c.subsidyKind, c.department, c.individual],
    );
    out.push(idNumber);
  }
  return out;
}

async function facilityRows(db: Db): Promise<FacilityRow[]> {
  return Promise.all([CODES.county, CODES.clinic, CODES.lhasa].map(async (c) => (await findFacilityByCode(db, c))!));
}

beforeAll(async () => {
  policies = loadFixturePolicies();
  [batched, alone] = await Promise.all([createTestDb(), createTestDb()]);
  f = await seedFixture(batched.db, policies);
  await seedFixture(alone.db, policies);
  const extra = await addPeople(batched.db, 6);
  await addPeople(alone.db, 6);
  people = [f.plain.idNumber, f.poor.idNumber, f.extreme.idNumber, f.alleviated.idNumber, f.pending.idNumber, ...extra, makeIdNumber('513330', '1999-09-09', 999, 'M')];
  facilities = { a: await facilityRows(batched.db), b: await facilityRows(alone.db) };
}, 120_000);
afterAll(async () => {
  await batched?.drop();
  await alone?.drop();
});

/** What an answer says, without what differs by database (ids, times). */
function answer(r: BatchResult): unknown {
  if (!r.ok) return { error: (r.error as { code?: string }).code ?? String(r.error) };
  const { settlement, patient: _p, ...rest } = r.outcome;
  const { id: _id, settled_at: _at, ...row } = settlement;
  return { ...rest, settlement: row };
}

async function money(db: Db) {
  return {
    accumulators: await db.query(`SELECT * FROM accumulators ORDER BY person_id, year`).then((rows) => rows.map(({ updated_at: _u, ...r }) => r)),
    ledger: await db.query(`SELECT account, fund, sum(amount_fen)::bigint AS fen, count(*)::int AS n FROM ledger_entries GROUP BY 1, 2 ORDER BY 1, 2`),
    funds: await db.query(`SELECT fund, sum(amount_fen)::bigint AS fen FROM settlement_funds GROUP BY 1 ORDER BY 1`),
    settlements: await db.query(`SELECT facility_id, transaction_id, person_id, total_fen, funds_fen, self_pay, steps, ytd_delta, first_alerts FROM settlements ORDER BY facility_id, transaction_id`),
    alerts: await db.query(`SELECT person_id, year, threshold_id, yearly_self_pay FROM alerts ORDER BY 1, 2, 3`),
    // Each alert names the bill that crossed its threshold, and its case was raised once (the batch writes them in its write statement).
    alertBills: await db.query(`SELECT a.person_id, a.threshold_id, s.facility_id, s.transaction_id FROM alerts a JOIN settlements s ON s.id = a.settlement_id ORDER BY 1, 2`),
    caseEvents: await db.query(`SELECT c.person_id, a.threshold_id, e.action, e.actor, e.detail->>'alertId' = a.id::text AS names_alert FROM case_events e
      JOIN monitoring_cases c ON c.id = e.case_id JOIN alerts a ON a.id = c.alert_id ORDER BY 1, 2, 3`),
    audit: await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'settlement.create'`),
    cases: await db.query(`SELECT c.person_id, c.year, c.risk, a.threshold_id FROM monitoring_cases c JOIN alerts a ON a.id = c.alert_id ORDER BY 1, 2, 4`),
    pushes: await db.query(`SELECT o.department, o.payload->'person'->>'id' AS person, o.payload->'threshold'->>'id' AS threshold,
      o.payload->>'caseId' = o.case_id::text AND (o.payload->>'alertId')::bigint = c.alert_id AS consistent, o.payload - 'caseId' - 'alertId' - 'raisedAt' - 'dedupeKey' AS payload
      FROM outbox o JOIN monitoring_cases c ON c.id = o.case_id ORDER BY 2, 3, 1`),
    flags: await db.query(`SELECT rule, person_id, amount_fen FROM review_flags ORDER BY 2, 1, 3`),
  };
}

const billArb = fc.record({
  person: fc.nat({ max: 11 }),
  facility: fc.nat({ max: 2 }),
  kind: fc.constantFrom('inpatient' as const, 'outpatient' as const),
  total: fc.integer({ min: 1, max: 30_000_000 }),
  compliantShare: fc.integer({ min: 0, max: 100 }),
  majorIllness: fc.boolean(),
  day: fc.integer({ min: 1, max: 28 }),
  /** A retry of an earlier bill of the run (same facility and transaction id). */
  retryOf: fc.option(fc.nat({ max: 20 }), { freq: 5 }),
});

let run = 0;

describe('group commit', () => {
  it('settles random bills batched exactly as one by one: answers, money, accumulators, ledger', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(billArb, { minLength: 2, maxLength: 10 }), async (bills) => {
        run += 1;
        const requests: { facility: number; request: SettleRequest }[] = [];
        bills.forEach((b, k) => {
          const earlier = b.retryOf !== null && requests.length > 0 ? requests[b.retryOf % requests.length]! : undefined;
          if (earlier) return void requests.push(earlier);
          const compliant = Math.floor((b.total * b.compliantShare) / 100);
          requests.push({
            facility: b.facility,
            request: {
              transactionId: `run${run}-${k}`, patient: { idNumber: people[b.person]! },
              visit: { kind: b.kind, date: `2025-05-${String(b.day).padStart(2, '0')}`, majorIllness: b.majorIllness },
              amounts: { total: b.total, compliant },
            },
          });
        });
        // settleBatch takes each transaction id once (the batcher keeps a retry for a later batch).
        const seen = new Set<string>();
        const unique = requests.filter((r) => !seen.has(`${r.facility}:${r.request.transactionId}`) && seen.add(`${r.facility}:${r.request.transactionId}`));
        const itemsA: BatchItem[] = unique.map((r) => ({ facility: facilities.a[r.facility]!, request: r.request }));
        const got = await settleBatch({ db: batched.db, policies }, itemsA);
        const want: BatchResult[] = [];
        for (const r of unique) {
          try {
            want.push({ ok: true, outcome: await settleBill({ db: alone.db, policies }, facilities.b[r.facility]!, r.request) });
          } catch (error) {
            want.push({ ok: false, error });
          }
        }
        expect(got.map(answer)).toEqual(want.map(answer));
        expect(await money(batched.db)).toEqual(await money(alone.db));
      }),
      { numRuns: 12 },
    );
    // Batches were written together (one transaction time for several bills), not all fallen back to one by one.
    const [{ bills, times }] = (await batched.db.query<{ bills: number; times: number }>(
      `SELECT count(*)::int AS bills, count(DISTINCT settled_at)::int AS times FROM settlements WHERE transaction_id LIKE 'run%'`,
    )) as [{ bills: number; times: number }];
    expect(times).toBeLessThan(bills);
  }, 300_000);

  it.skipIf(!process.env.SANBAO_TEST_DATABASE_URL)('reads the contexts again when a row moved while the batch waited for its lock (PostgreSQL)', async () => {
    const request = (k: number, idNumber: string): SettleRequest => ({
      transactionId: `moved-${k}`, patient: { idNumber }, visit: { kind: 'inpatient', date: '2025-10-01' }, amounts: { total: 2_000_000, compliant: 1_800_000 },
    });
    const x = f.extreme;
    // While the batch waits for x's row, another transaction ends x's enrollment and moves the row: the batch must see both.
    const move = `WITH e AS (UPDATE enrollments SET status = 'pending' WHERE person_id = ${x.id} AND year = 2025)
      UPDATE accumulators SET updated_at = now() WHERE person_id = ${x.id} AND year = 2025`;
    const holder = await openPostgres(batched.url!, 1);
    let batch: Promise<BatchResult[]> | undefined;
    // x's row for the year must exist to be held (whether an earlier test made it depends on its random bills).
    await batched.db.query('INSERT INTO accumulators (person_id, year) VALUES ($1, 2025) ON CONFLICT DO NOTHING', [x.id]);
    let blocked = false;
    try {
      await holder.transaction(async (tx) => {
        const [held] = await tx.query('SELECT 1 FROM accumulators WHERE person_id = $1 AND year = 2025 FOR UPDATE', [x.id]);
        expect(held).toBeDefined();
        batch = settleBatch({ db: batched.db, policies }, [request(1, x.idNumber), request(2, f.plain.idNumber)].map((r) => ({ facility: facilities.a[0]!, request: r })));
        for (let i = 0; i < 400 && !blocked; i++) {
          await tx.query('SELECT pg_stat_clear_snapshot()');
          const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))`);
          blocked = row!.n >= 1;
          if (!blocked) await new Promise((r) => setTimeout(r, 25));
        }
        await tx.query(move);
      });
    } finally {
      await holder.close();
    }
    const got = await batch!;
    await batched.db.query(`UPDATE enrollments SET status = 'enrolled' WHERE person_id = $1 AND year = 2025`, [x.id]);
    // The batch really waited for x's row while it moved (else the test proves nothing).
    expect(blocked).toBe(true);
    expect(got[0]!.ok ? 'settled' : (got[0]!.error as { code: string }).code).toBe('NOT_ENROLLED');
    expect(got[1]!.ok).toBe(true);
  });

  it('refuses a bill the checks refuse and settles the others of its batch', async () => {
    const items: BatchItem[] = [f.plain, f.pending, f.poor].map((p, k) => ({
      facility: facilities.a[0]!,
      request: { transactionId: `refuse-${k}`, patient: { idNumber: p.idNumber }, visit: { kind: 'outpatient', date: '2025-08-01' }, amounts: { total: 10_000, compliant: 8_000 } },
    }));
    const results = await settleBatch({ db: batched.db, policies }, items);
    expect(results.map((r) => (r.ok ? 'ok' : (r.error as { code: string }).code))).toEqual(['ok', 'NOT_ENROLLED', 'ok']);
    const rows = await batched.db.query<{ transaction_id: string }>(`SELECT transaction_id FROM settlements WHERE transaction_id LIKE 'refuse-%' ORDER BY 1`);
    expect(rows.map((r) => r.transaction_id)).toEqual(['refuse-0', 'refuse-2']);
  });

  it('falls back to one by one when the batched write fails, writing nothing twice', async () => {
    // The same transaction id twice in one batch (the batcher never does this): the unique key refuses the batched write.
    const request = (k: number, idNumber: string): SettleRequest => ({
      transactionId: 'fallback-1', patient: { idNumber }, visit: { kind: 'outpatient', date: '2025-08-02' }, amounts: { total: 20_000 + k, compliant: 10_000 },
    });
    const before = await money(batched.db);
    const results = await settleBatch({ db: batched.db, policies }, [
      { facility: facilities.a[0]!, request: request(0, f.plain.idNumber) },
      { facility: facilities.a[0]!, request: request(1, f.poor.idNumber) },
    ]);
    expect(results[0]!.ok).toBe(true);
    expect(results[1]!.ok ? 'ok' : (results[1]!.error as { code: string }).code).toBe('IDEMPOTENCY_CONFLICT');
    const after = await money(batched.db);
    expect(Number(after.audit[0]!.n) - Number(before.audit[0]!.n)).toBe(1);
    const rows = await batched.db.query(`SELECT person_id FROM settlements WHERE transaction_id = 'fallback-1'`);
    expect(rows).toEqual([{ person_id: f.plain.id }]);
  });
});

describe('the batcher', () => {
  it('gathers concurrent settles into shared transactions; a retry in the same burst waits for a later batch and replays', async () => {
    const settler = settleBatcher({ db: batched.db, policies }, { inFlight: 1, gatherMs: 0 });
    const request = (k: number, idNumber: string): SettleRequest => ({
      transactionId: `gather-${k}`, patient: { idNumber }, visit: { kind: 'outpatient', date: '2025-09-02' }, amounts: { total: 40_000 + k, compliant: 30_000 },
    });
    const enrolled = people.filter((p) => p !== f.pending.idNumber).slice(0, 10);
    const before = await money(batched.db);
    const outcomes = await Promise.all([...enrolled, enrolled[0]!].map((p, k) => settler.settle(facilities.a[1]!, request(k % enrolled.length, p))));
    expect(outcomes.map((o) => o.replayed)).toEqual([...enrolled.map(() => false), true]);
    const { id, total_fen, self_pay, request_hash } = outcomes[0]!.settlement;
    expect(outcomes[enrolled.length]!.settlement).toMatchObject({ id, total_fen, self_pay, request_hash });
    const rows = await batched.db.query<{ at: string; n: number }>(
      `SELECT settled_at::text AS at, count(*)::int AS n FROM settlements WHERE transaction_id LIKE 'gather-%' GROUP BY 1 ORDER BY 1`,
    );
    // One transaction time per batch: the first bill alone (nothing was in flight), the nine that came meanwhile together.
    expect(rows.map((r) => r.n)).toEqual([1, enrolled.length - 1]);
    const after = await money(batched.db);
    expect(Number(after.audit[0]!.n) - Number(before.audit[0]!.n)).toBe(enrolled.length);
  });

  it('by default keeps two batches in flight, so a burst is settled in few large batches', async () => {
    const settler = settleBatcher({ db: batched.db, policies });
    const request = (k: number, idNumber: string): SettleRequest => ({
      transactionId: `default-slots-${k}`, patient: { idNumber }, visit: { kind: 'outpatient', date: '2025-09-04' }, amounts: { total: 20_000 + k, compliant: 15_000 },
    });
    const enrolled = people.filter((p) => p !== f.pending.idNumber).slice(0, 10);
    await Promise.all(enrolled.map((p, k) => settler.settle(facilities.a[1]!, request(k, p))));
    const rows = await batched.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM settlements WHERE transaction_id LIKE 'default-slots-%' GROUP BY settled_at ORDER BY settled_at`,
    );
    // The first bill alone, the second beside it, the other eight together once the first committed.
    // Four batches in flight while few wait (the default before) gave 1, 1, 1, 1, 6.
    expect(rows.map((r) => r.n)).toEqual([1, 1, enrolled.length - 2]);
  });

  it('after a burst, waits a little for the requests its clients are expected to send, and a lone request goes alone', async () => {
    const settler = settleBatcher({ db: batched.db, policies }, { inFlight: 1, gatherMs: 400 });
    const request = (k: number, idNumber: string): SettleRequest => ({
      transactionId: `gather-wait-${k}`, patient: { idNumber }, visit: { kind: 'outpatient', date: '2025-09-05' }, amounts: { total: 30_000 + k, compliant: 20_000 },
    });
    const [a, b, c] = people.filter((p) => p !== f.pending.idNumber) as [string, string, string];
    // A burst of three: the first alone (nothing answered yet, one expected), the two others together.
    await Promise.all([a, b, c].map((p, k) => settler.settle(facilities.a[1]!, request(k, p))));
    // Two were answered last, so two are expected: the first of the next pair waits for the second, sent 50 ms later.
    const first = settler.settle(facilities.a[1]!, request(10, a));
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([first, settler.settle(facilities.a[1]!, request(11, b))]);
    // Now a lone request: it waits at most the window, then goes alone; and the next lone one is expected alone.
    await settler.settle(facilities.a[1]!, request(12, c));
    await settler.settle(facilities.a[1]!, request(13, a));
    const rows = await batched.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM settlements WHERE transaction_id LIKE 'gather-wait-%' GROUP BY settled_at ORDER BY settled_at`,
    );
    expect(rows.map((r) => r.n)).toEqual([1, 2, 2, 1, 1]);
  });

  it('with two batches in flight, settles each of several bills of a patient once, one after the other', async () => {
    const settler = settleBatcher({ db: batched.db, policies }, { inFlight: 2, maxBatch: 4 });
    const request = (k: number, idNumber: string): SettleRequest => ({
      transactionId: `inflight-${k}`, patient: { idNumber }, visit: { kind: 'outpatient', date: '2025-09-03' }, amounts: { total: 12_000 + k, compliant: 9_000 },
    });
    const enrolled = people.filter((p) => p !== f.pending.idNumber).slice(0, 10);
    const before = await batched.db.query<{ person_id: number; self_pay: number }>(`SELECT person_id, self_pay FROM accumulators WHERE year = 2025 ORDER BY 1`);
    // Three bills for each of ten people, all at once: a person's bills serialize, the others overlap.
    const requests = [0, 1, 2].flatMap((round) => enrolled.map((p, k) => request(round * 100 + k, p)));
    const outcomes = await Promise.all(requests.map((r) => settler.settle(facilities.a[0]!, r)));
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(requests.length);
    const after = await batched.db.query<{ person_id: number; self_pay: number }>(`SELECT person_id, self_pay FROM accumulators WHERE year = 2025 ORDER BY 1`);
    const paid = new Map<number, number>();
    for (const o of outcomes) paid.set(o.settlement.person_id, (paid.get(o.settlement.person_id) ?? 0) + o.settlement.self_pay);
    for (const row of after) {
      const was = before.find((b) => b.person_id === row.person_id)?.self_pay ?? 0;
      expect(Number(row.self_pay) - Number(was)).toBe(paid.get(row.person_id) ?? 0);
    }
    const [{ n }] = (await batched.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM settlements WHERE transaction_id LIKE 'inflight-%'`)) as [{ n: number }];
    expect(n).toBe(requests.length);
  });

  it('takes no patient and no transaction id twice into one batch, and keeps arrival order per patient', () => {
    const item = (t: string, idNumber: string, facility = 1) => ({ facility: { id: facility } as FacilityRow, request: { transactionId: t, patient: { idNumber } } as SettleRequest });
    const queue = [item('a', 'X1'), item('b', 'x1'), item('c', 'Y'), item('a', 'Z'), item('d', 'Z'), item('e', 'W', 2), item('f', 'V')];
    expect(takeBatch(queue, 32).map((i) => i.request.transactionId)).toEqual(['a', 'c', 'e', 'f']);
    expect(queue.map((i) => i.request.transactionId)).toEqual(['b', 'a', 'd']);
    expect(takeBatch(queue, 32).map((i) => i.request.transactionId)).toEqual(['b', 'a']);
    expect(takeBatch(queue, 1).map((i) => i.request.transactionId)).toEqual(['d']);
    expect(queue).toEqual([]);
  });
});

describe('group commit over HTTP', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ db: batched.db, policies, logLevel: 'silent' });
  });
  afterAll(() => app?.close());

  it('answers concurrent settles and their retries byte for byte and duplicates no money', async () => {
    const body = (k: number, idNumber: string) => ({
      transactionId: `http-${k}`, patient: { idNumber }, visit: { kind: 'inpatient', date: '2025-09-01' }, amounts: { total: 300_000 + k, compliant: 250_000 },
    });
    const enrolled = people.filter((p) => p !== f.pending.idNumber).slice(0, 10);
    const post = (payload: ReturnType<typeof body>) => app.inject({ method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${KEYS.county}` }, payload });
    const before = await money(batched.db);
    const first = await Promise.all(enrolled.map((p, k) => post(body(k, p))));
    expect(first.map((r) => r.statusCode)).toEqual(enrolled.map(() => 201));
    // Retries, all at once, two of each: the first answer, byte for byte.
    const retries = await Promise.all([...enrolled, ...enrolled].map((p, k) => post(body(k % enrolled.length, p))));
    expect(retries.map((r) => r.statusCode)).toEqual(retries.map(() => 200));
    retries.forEach((r, k) => {
      const { replayed: a, ...again } = r.json();
      const { replayed: b, ...once } = first[k % enrolled.length]!.json();
      expect([a, b]).toEqual([true, false]);
      expect(again).toEqual(once);
    });
    const after = await money(batched.db);
    expect(Number(after.audit[0]!.n) - Number(before.audit[0]!.n)).toBe(enrolled.length);
  });
});
