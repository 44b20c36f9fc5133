/**
 * `npm run bench:clearing`: reconciliation and monthly clearing of 50
 * hospitals over 1 million settlements of one month on PostgreSQL (database
 * sanbao_bench, a fresh schema), printed against a plain GROUP BY of the same
 * settlements in the same run, with the ratios.
 *
 * The data is made in SQL (generate_series), not through the API: 100,000
 * people (a tenth on the employee scheme), 50 hospitals of levels 1–3, 1 M
 * bills settled across June 2025 (China time), each with its fund payments
 * (basic on every bill, critical illness on a fifth, assistance on a tenth)
 * and the ledger journal the settlement would have posted (benefit against
 * what is owed to the hospital, per fund), dated on the settlement's day.
 *
 * Reconciliation: the bureau's 3201 totals of all 50 hospitals in one pass,
 * compared with each hospital's (one hospital reports a bill too few, and gets
 * its 3202 settlement-by-settlement difference). Clearing: every hospital's
 * month from the ledger, a review deduction for a few, the quality deposit,
 * 50 clearings and their journals written.
 *
 * Settings (environment): BENCH_DATABASE_URL (postgres://postgres:postgres@127.0.0.1:5432/sanbao_bench),
 * BENCH_SETTLEMENTS (1000000) or --settlements N, BENCH_PERSONS (100000), BENCH_VERIFY=1 also times `ledger verify`.
 */
import { compareDetails, compareTotals } from '../src/domain/ledger/reconcile.ts';
import { formatYuan } from '../src/domain/money.ts';
import { PolicyRegistry, loadPolicies } from '../src/domain/policy/registry.ts';
import { clearMonthFor } from '../src/service/clearing.ts';
import { verifyLedger } from '../src/service/ledger-verify.ts';
import { bureauStatement, bureauTotalsByFacility } from '../src/service/reconciliation.ts';
import type { Db } from '../src/store/db.ts';
import { openDatabase } from '../src/store/open.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { schemaUrl } from '../src/store/schema-url.ts';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/sanbao_bench';
const flag = process.argv.indexOf('--settlements');
const SETTLEMENTS = Number(flag > 0 ? process.argv[flag + 1] : process.env.BENCH_SETTLEMENTS ?? 1_000_000);
const PERSONS = Number(process.env.BENCH_PERSONS ?? 100_000);
const HOSPITALS = 50;
const SCHEMA = 'bench_clearing';
const CHUNK = 100_000;
const MONTH = '2025-06';
const PERIOD = { from: '2025-06-01', to: '2025-06-30' };

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  log(`  ${label}: ${seconds(ms)}`);
  return { ms, result };
}

async function generate(db: Db): Promise<void> {
  log(`generating ${PERSONS.toLocaleString('en')} people, ${HOSPITALS} hospitals and ${SETTLEMENTS.toLocaleString('en')} settlements with their ledger journals in SQL…`);
  await timed('divisions, hospitals, people, three visits', async () => {
    await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('513330', '德格县', 1, NULL)`);
    await db.query(`INSERT INTO facilities (code, name, level, division_code) SELECT 'H' || lpad(g::text, 2, '0'), 'hospital ' || g, 1 + g % 3, '513330' FROM generate_series(1, ${HOSPITALS}) g`);
    await db.query(`INSERT INTO persons (id_number, name, sex, birth_date, division_code, qr_token, scheme)
      SELECT '513330' || lpad(g::text, 12, '0'), 'P' || g, CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, DATE '1950-01-01' + (g * 37 % 25000), '513330', 'qr' || g,
        CASE WHEN g % 10 = 0 THEN 'employee' ELSE 'resident' END
      FROM generate_series(1, ${PERSONS}) g`);
    await db.query(`INSERT INTO visits (person_id, facility_id, kind, level, visit_date) VALUES (1, 1, 'inpatient', 2, '2025-06-01'), (1, 1, 'outpatient', 2, '2025-06-01'), (1, 1, 'chronic', 2, '2025-06-01')`);
  });
  for (let from = 1; from <= SETTLEMENTS; from += CHUNK) {
    const to = Math.min(SETTLEMENTS, from + CHUNK - 1);
    await timed(`settlements ${from.toLocaleString('en')}–${to.toLocaleString('en')}, their funds and journals`, () =>
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        // basic 60 % of the compliant cost; critical illness on every fifth bill, assistance on every tenth.
        await tx.query(`CREATE TEMP TABLE g ON COMMIT DROP AS
          SELECT g AS id, 1 + g % ${HOSPITALS} AS facility_id, 1 + (g * 104729) % ${PERSONS} AS person_id, 1 + g % 3 AS visit_id,
            timestamptz '2025-06-01 00:00:00+08' + ((g * 7919) % (30 * 86400)) * interval '1 second' AS settled_at,
            20000 + (g * 37 % 500000) AS total, 0::bigint AS basic, 0::bigint AS critical, 0::bigint AS assistance
          FROM generate_series(${from}::bigint, ${to}::bigint) g`);
        await tx.query(`UPDATE g SET basic = total * 6 / 10, critical = CASE WHEN id % 5 = 0 THEN total / 10 ELSE 0 END, assistance = CASE WHEN id % 10 = 0 THEN total / 20 ELSE 0 END`);
        await tx.query(`INSERT INTO settlements (id, facility_id, transaction_id, request_hash, visit_id, person_id, year, policy_id,
            total_fen, compliant_fen, funds_fen, self_pay_compliant, self_pay_excluded, self_pay, steps, ytd_delta, settled_at)
          SELECT id, facility_id, 't' || id, 'bench', visit_id, person_id, 2025, 'dege-2025', total, total, basic + critical + assistance,
            total - basic - critical - assistance, 0, total - basic - critical - assistance, '[]', '{}', settled_at FROM g`);
        await tx.query(`INSERT INTO settlement_funds (settlement_id, fund, base_fen, amount_fen, rule)
          SELECT id, f.fund, total, f.amount, 'bench' FROM g, LATERAL (VALUES ('basic', basic), ('critical', critical), ('assistance', assistance)) f(fund, amount) WHERE f.amount > 0`);
        await tx.query(`INSERT INTO ledger_journals (id, kind, source, settlement_id, facility_id, person_id, year, business_date, actor, posted_at)
          SELECT id, 'settlement', 'settlement:' || id, id, facility_id, person_id, 2025, ((settled_at AT TIME ZONE 'UTC') + interval '8 hours')::date, 'bench', settled_at FROM g`);
        await tx.query(`INSERT INTO ledger_entries (journal_id, line, account, fund, amount_fen)
          SELECT id, l.line, l.fund || ':' || l.side, l.fund, l.amount FROM g,
            LATERAL (VALUES (1, 'assistance', 'benefit', assistance), (2, 'assistance', 'payable_facility', -assistance), (3, 'basic', 'benefit', basic),
              (4, 'basic', 'payable_facility', -basic), (5, 'critical', 'benefit', critical), (6, 'critical', 'payable_facility', -critical)) l(line, fund, side, amount)
          WHERE l.amount <> 0`);
      }),
    );
  }
  await timed('indexes, sequences, VACUUM ANALYZE', async () => {
    // The idempotency keys, as the settle statement writes them beside each settlement (issue 18).
    await db.query('INSERT INTO settlement_keys (facility_id, transaction_id, settlement_id) SELECT facility_id, transaction_id, id FROM settlements');
    await db.query(`SELECT setval('settlements_id_seq', ${SETTLEMENTS}), setval('ledger_journals_id_seq', ${SETTLEMENTS})`);
    for (const table of ['settlements', 'settlement_funds', 'ledger_journals', 'ledger_entries', 'persons', 'visits', 'facilities']) await db.query(`VACUUM ANALYZE ${table}`);
  });
}

async function main(): Promise<void> {
  const url = schemaUrl(BASE, SCHEMA);
  const admin = await openPostgres(BASE, 1);
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.close();
  const db = await openDatabase({ databaseUrl: url, poolSize: 2 });
  const t0 = performance.now();
  await generate(db);
  log(`data ready in ${seconds(performance.now() - t0)}`);
  // The reference policy of the county with a 5 % quality deposit (its clearing terms), as a bureau would set.
  const reference = loadPolicies();
  const policies = new PolicyRegistry(reference.list().map((p) => (p.id === 'dege-2025' ? { ...p, clearing: { ...p.clearing, qualityDeposit: 500 } } : p)));
  // A few review deductions, decided in the month: the clearing takes each once.
  await db.query(`INSERT INTO review_flags (dedupe_key, rule, settlement_id, facility_id, person_id, visit_date, amount_fen, message, source, status, deduct_fen, reason, decided_by, decided_at)
    SELECT 'bench-' || s.id, 'duplicate_lines', s.id, s.facility_id, s.person_id, '2025-06-01', 1000, 'bench', 'batch', 'deducted', 1000, 'bench', 'bench', timestamptz '2025-06-20 10:00+08'
    FROM settlements s WHERE s.id % 997 = 0`);

  // The floor: one plain GROUP BY of the month's settlements per hospital.
  const floorQuery = () => db.query(`SELECT facility_id, count(*), sum(total_fen), sum(funds_fen) FROM settlements
    WHERE settled_at >= timestamptz '2025-06-01 00:00+08' AND settled_at < timestamptz '2025-07-01 00:00+08' GROUP BY facility_id`);
  log('warming the cache (one GROUP BY)…');
  await floorQuery();
  const floor1 = await timed('plain GROUP BY of the month per hospital', floorQuery);

  const recon = await timed(`reconciliation of ${HOSPITALS} hospitals (3201 totals, one 3202 difference)`, async () => {
    const byFacility = await bureauTotalsByFacility(db, PERIOD.from, PERIOD.to);
    let mismatched = 0;
    let differences = 0;
    for (const [facilityId, bureau] of byFacility) {
      // Each hospital's own totals; hospital 1 is short of one outpatient bill.
      const hospital = bureau.map((l) => (facilityId === 1 && l.clr_type === '11' ? { ...l, fixmedins_setl_cnt: l.fixmedins_setl_cnt - 1, medfee_sumamt: l.medfee_sumamt - 20_000 } : l));
      if (compareTotals(bureau, hospital).some((l) => !l.matched)) {
        mismatched += 1;
        const statement = await bureauStatement(db, facilityId, PERIOD.from, PERIOD.to);
        differences += compareDetails(statement.details, statement.details.slice(1)).length;
      }
    }
    return { hospitals: byFacility.size, mismatched, differences };
  });
  const clearing = await timed(`clearing of ${HOSPITALS} hospitals for ${MONTH}`, () => clearMonthFor({ db, policies }, { month: MONTH, actor: 'bench', today: '2025-07-05' }));
  const floor2 = await timed('plain GROUP BY again', floorQuery);
  let verifyMs: number | null = null;
  if (process.env.BENCH_VERIFY === '1') {
    const v = await timed('ledger verify (trial balance, every settlement against its journal)', () => verifyLedger(db));
    if (!v.result.ok) throw new Error(`ledger verify: ${v.result.firstDifference}`);
    verifyMs = v.ms;
  }
  await db.close();
  const floor = Math.min(floor1.ms, floor2.ms);
  const net = clearing.result.cleared.reduce((t, c) => t + c.net_fen, 0);

  console.log('');
  console.log(`data: ${SETTLEMENTS.toLocaleString('en')} settlements of ${MONTH}, ${HOSPITALS} hospitals, ${PERSONS.toLocaleString('en')} people (PostgreSQL, schema ${SCHEMA})`);
  console.log(`plain GROUP BY of the same settlements per hospital (best of 2): ${seconds(floor)}`);
  console.log(`reconciliation: ${seconds(recon.ms)} — ${recon.result.hospitals} hospitals, ${recon.result.mismatched} mismatched, ${recon.result.differences} settlement difference(s); ratio ${(recon.ms / floor).toFixed(1)}x`);
  console.log(`clearing:       ${seconds(clearing.ms)} — ${clearing.result.cleared.length} hospitals cleared, net ${formatYuan(net)} yuan; ratio ${(clearing.ms / floor).toFixed(1)}x`);
  if (verifyMs !== null) console.log(`ledger verify:  ${seconds(verifyMs)}; ratio ${(verifyMs / floor).toFixed(1)}x`);
}

await main();
