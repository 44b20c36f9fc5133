/**
 * `npm run bench:review`: the batch claim review (智能审核) over 1 million
 * settlements with 10 fee lines each on PostgreSQL (database sanbao_bench, a
 * fresh schema), printed against a plain SQL scan of the same lines in the same
 * run, with the ratio.
 *
 * The data is made in SQL (generate_series), not through the API: 200,000
 * people in one county, three facilities, 1 M settled bills over 2025 (20 %
 * inpatient stays of 1–10 days), each with 10 lines of the shipped national
 * catalogue (a few restricted items — insulin for diabetes, estradiol for
 * women — so some findings are real). Indexes are built after the load.
 *
 * Settings (environment): BENCH_DATABASE_URL (postgres://postgres:postgres@127.0.0.1:5432/sanbao_bench),
 * BENCH_PERSONS (200000), BENCH_SETTLEMENTS (1000000), BENCH_KEEP=1 reuses the data of a previous run when the counts match.
 */
import { runBatchReview } from '../src/service/claim-review.ts';
import { importReferenceCatalogues } from '../src/service/insurance-catalogue-import.ts';
import type { Db } from '../src/store/db.ts';
import { openDatabase } from '../src/store/open.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { schemaUrl } from '../src/store/schema-url.ts';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/sanbao_bench';
const PERSONS = Number(process.env.BENCH_PERSONS ?? 200_000);
const SETTLEMENTS = Number(process.env.BENCH_SETTLEMENTS ?? 1_000_000);
const LINES_PER_BILL = 10;
const KEEP = process.env.BENCH_KEEP === '1';
const SCHEMA = 'bench_review';
const CHUNK = 100_000;
const PERIOD = { from: '2025-01-01', to: '2025-12-31' };

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  log(`  ${label}: ${seconds(performance.now() - t0)}`);
  return result;
}

// Mostly unrestricted items; 1 line in 40 insulin (diabetes only, 1 a day), 1 in 80 estradiol (women only).
const COMMON = ['XA10BAE054A001', 'XC09AAE012A001', 'XC08CAA010A001', 'XJ01CAA040A001', '001204000010000', 'C0302020010000', 'T000100123', 'ZA04CAR0046010', '002701000010000', 'T000700456'];
const DIAGNOSES = ['J18.900', 'E11.900', 'I10.X00', 'K35.800', 'M12.100'];

async function generate(db: Db): Promise<void> {
  log(`generating ${PERSONS.toLocaleString('en')} people, ${SETTLEMENTS.toLocaleString('en')} settlements and ${(SETTLEMENTS * LINES_PER_BILL).toLocaleString('en')} lines in SQL…`);
  await timed('catalogues, divisions, facilities, people, one shared visit', async () => {
    await importReferenceCatalogues(db, 'bench');
    await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('513330', '德格县', 1, NULL), ('513330001', '更庆镇', 2, '513330')`);
    await db.query(`INSERT INTO facilities (code, name, level, division_code) VALUES ('B1', 'county hospital', 2, '513330'), ('B2', 'township clinic', 1, '513330001'), ('B3', 'second hospital', 2, '513330')`);
    await db.query(`INSERT INTO persons (id_number, name, sex, birth_date, division_code, qr_token)
      SELECT '513330' || lpad(g::text, 12, '0'), 'P' || g, CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, DATE '1940-01-01' + (g * 37 % 29000), '513330001', 'qr' || g
      FROM generate_series(1, ${PERSONS}) g`);
    await db.query(`INSERT INTO visits (person_id, facility_id, kind, level, visit_date) VALUES (1, 1, 'inpatient', 2, '2025-01-01')`);
  });
  await db.query('ALTER TABLE settlement_lines DROP CONSTRAINT settlement_lines_pkey');
  await db.query('DROP INDEX settlement_bills_person');
  const common = `(ARRAY['${COMMON.join("','")}'])`;
  for (let from = 1; from <= SETTLEMENTS; from += CHUNK) {
    const to = Math.min(SETTLEMENTS, from + CHUNK - 1);
    await timed(`settlements ${from.toLocaleString('en')}–${to.toLocaleString('en')} with their bills and lines`, () =>
      db.transaction(async (tx) => {
        await tx.query(`SET LOCAL session_replication_role = replica`);
        await tx.query(`INSERT INTO settlements (id, facility_id, transaction_id, request_hash, visit_id, person_id, year, policy_id,
            total_fen, compliant_fen, funds_fen, self_pay_compliant, self_pay_excluded, self_pay, steps, ytd_delta)
          SELECT g, 1 + g % 3, 't' || g, 'bench', 1, 1 + (g * 104729) % ${PERSONS}, 2025, 'dege-2025', 100000, 90000, 60000, 30000, 10000, 40000, '[]', '{}'
          FROM generate_series(${from}::bigint, ${to}::bigint) g`);
        await tx.query(`INSERT INTO settlement_bills (settlement_id, person_id, facility_id, kind, admission_date, discharge_date, diagnosis, verification)
          SELECT g, 1 + (g * 104729) % ${PERSONS}, 1 + g % 3, CASE WHEN g % 5 = 0 THEN 'inpatient' ELSE 'outpatient' END,
            DATE '2025-01-01' + (g * 7919 % 355)::int, CASE WHEN g % 5 = 0 THEN DATE '2025-01-01' + (g * 7919 % 355)::int + 1 + (g % 10)::int END,
            (ARRAY['${DIAGNOSES.join("','")}'])[1 + (g / 7) % ${DIAGNOSES.length}], 'itemised'
          FROM generate_series(${from}::bigint, ${to}::bigint) g`);
        await tx.query(`INSERT INTO settlement_lines (settlement_id, line_no, code, class, service_date, department, quantity, unit_price_fen, amount_fen,
            above_cap_fen, excluded_fen, self_pay_first_fen, compliant_fen)
          SELECT g, n, code, 'A', DATE '2025-01-01' + (g * 7919 % 355)::int + CASE WHEN g % 5 = 0 THEN (n % (1 + g % 10))::int ELSE 0 END, '内科', q, p, q * p, 0, 0, 0, q * p
          FROM generate_series(${from}::bigint, ${to}::bigint) g, generate_series(0, ${LINES_PER_BILL - 1}) n,
            LATERAL (SELECT CASE WHEN (g * 31 + n) % 40 = 0 THEN 'XA10AEI026B002' WHEN (g * 17 + n) % 80 = 0 THEN 'XG03CAE042B001'
                       ELSE ${common}[1 + ((g * 13 + n * 7) % ${COMMON.length})] END AS code,
                       1 + ((g + n) % 3)::int AS q, 100 + ((g * 37 + n * 101) % 4900)::bigint AS p) x`);
      }),
    );
  }
  await timed('indexes', async () => {
    await db.query('ALTER TABLE settlement_lines ADD PRIMARY KEY (settlement_id, line_no)');
    await db.query('CREATE INDEX settlement_bills_person ON settlement_bills (person_id, admission_date)');
    // The idempotency keys, as the settle statement writes them beside each settlement (issue 18).
    await db.query('INSERT INTO settlement_keys (facility_id, transaction_id, settlement_id) SELECT facility_id, transaction_id, id FROM settlements');
    await db.query(`SELECT setval('settlements_id_seq', ${SETTLEMENTS})`);
  });
  await timed('VACUUM ANALYZE', async () => {
    for (const table of ['settlements', 'settlement_bills', 'settlement_lines', 'persons']) await db.query(`VACUUM ANALYZE ${table}`);
  });
}

async function main(): Promise<void> {
  const url = schemaUrl(BASE, SCHEMA);
  const admin = await openPostgres(BASE, 1);
  let reuse = false;
  if (KEEP) {
    const [row] = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = '${SCHEMA}' AND tablename = 'settlement_lines'`);
    if (row?.n) {
      const [c] = await admin.query<{ s: number; p: number }>(`SELECT (SELECT count(*) FROM ${SCHEMA}.settlements)::int AS s, (SELECT count(*) FROM ${SCHEMA}.persons)::int AS p`);
      reuse = c?.s === SETTLEMENTS && c?.p === PERSONS;
    }
  }
  if (!reuse) {
    await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  }
  await admin.close();
  const db = await openDatabase({ databaseUrl: url, poolSize: 2 });
  if (reuse) log('reusing the data of the previous run (BENCH_KEEP=1)');
  else {
    const t0 = performance.now();
    await generate(db);
    log(`data ready in ${seconds(performance.now() - t0)}`);
  }
  await db.query('TRUNCATE review_flags, review_runs RESTART IDENTITY CASCADE');

  // The floor: one plain scan of the same lines (those of the period's settled bills), summed in SQL.
  const scan = async () => {
    const t0 = performance.now();
    const [row] = await db.query<{ lines: number; compliant: string }>(
      `SELECT count(*)::int AS lines, sum(l.compliant_fen)::text AS compliant FROM settlement_lines l
       JOIN settlement_bills b ON b.settlement_id = l.settlement_id JOIN settlements s ON s.id = l.settlement_id
       WHERE b.admission_date BETWEEN $1 AND $2 AND s.status = 'settled'`,
      [PERIOD.from, PERIOD.to],
    );
    return { ms: performance.now() - t0, lines: row!.lines };
  };
  log('warming the cache (one scan)…');
  await scan();
  log('plain SQL scan of the lines…');
  const floor = await scan();
  log(`  ${seconds(floor.ms)} (${floor.lines.toLocaleString('en')} lines)`);
  log('batch review (cold: every flag is new)…');
  let t0 = performance.now();
  const cold = await runBatchReview(db, { ...PERIOD, actor: 'bench', onProgress: (done, total) => { if (done % 200_000 < 25_000) log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`); } });
  const coldMs = performance.now() - t0;
  log('batch review again (steady state: nothing new)…');
  t0 = performance.now();
  const again = await runBatchReview(db, { ...PERIOD, actor: 'bench' });
  const againMs = performance.now() - t0;
  log('plain SQL scan again…');
  const floor2 = await scan();
  await db.close();
  const best = Math.min(floor.ms, floor2.ms);

  console.log('');
  console.log(`data: ${PERSONS.toLocaleString('en')} people, ${cold.settlements.toLocaleString('en')} settlements, ${cold.lines.toLocaleString('en')} lines (PostgreSQL, schema ${SCHEMA})`);
  console.log(`batch review (first):  ${seconds(coldMs)} — ${cold.flagsNew.toLocaleString('en')} flags raised (${Object.entries(cold.byRule).map(([r, n]) => `${r} ${n.toLocaleString('en')}`).join(', ')})`);
  console.log(`batch review (again):  ${seconds(againMs)} — ${again.flagsNew} new flags`);
  console.log(`plain SQL scan of the same lines (count and sum over the join, best of 2): ${seconds(best)}`);
  console.log(`ratio batch review ÷ scan: first ${(coldMs / best).toFixed(1)}x, again ${(againMs / best).toFixed(1)}x; ${Math.round(cold.lines / (coldMs / 1000)).toLocaleString('en')} lines/s`);
}

await main();
