/**
 * `npm run bench:accounts`: the monthly personal-account credit run for many
 * employees on PostgreSQL (database sanbao_bench, a fresh schema), printed
 * against a plain SQL floor in the same run — one INSERT … SELECT of the same
 * ledger rows and one UPDATE of the same balances, no audit, no idempotence —
 * with the ratio; then the same month again (nothing to credit).
 *
 * Settings (environment): BENCH_DATABASE_URL (postgres://postgres:postgres@127.0.0.1:5432/sanbao_bench),
 * BENCH_EMPLOYEES (100000).
 */
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { creditMonth } from '../src/service/personal-account-credit.ts';
import { openDatabase } from '../src/store/open.ts';
import { openPostgres } from '../src/store/postgres-db.ts';
import { schemaUrl } from '../src/store/schema-url.ts';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/sanbao_bench';
const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 100_000);
const SCHEMA = 'bench_accounts';

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const admin = await openPostgres(BASE, 1);
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.close();
  const url = schemaUrl(BASE, SCHEMA);
  const db = await openDatabase({ databaseUrl: url, poolSize: 2 });
  const policies = loadPolicies();
  log(`generating ${EMPLOYEES.toLocaleString('en')} employees of Lhasa enrolled in 2025 (one in five retired, one in fifty without a base)…`);
  await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('540102', '城关区', 1, NULL)`);
  await db.query(`INSERT INTO persons (id_number, name, sex, birth_date, division_code, qr_token, scheme, employment_status)
    SELECT '540102' || lpad(g::text, 12, '0'), 'E' || g, CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, DATE '1960-01-01' + (g * 37 % 15000), '540102', 'qr' || g,
      'employee', CASE WHEN g % 5 = 0 THEN 'retired' ELSE 'in_service' END
    FROM generate_series(1, ${EMPLOYEES}) g`);
  await db.query(`INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, individual_fen, paid_fen, status)
    SELECT id, 2025, 'lhasa-2025', 'employee', 'tier1', 0, 0, 0, 0, 'enrolled' FROM persons`);
  await db.query(`INSERT INTO personal_accounts (person_id, contribution_base_fen)
    SELECT id, 300000 + (id * 7919 % 1200000) FROM persons WHERE id % 50 <> 1`);
  for (const table of ['persons', 'enrollments', 'personal_accounts']) await db.query(`VACUUM ANALYZE ${table}`);

  // The floor: the same ledger rows and balances in two plain statements (scratch tables, no audit, no checks).
  const floor = async (n: number) => {
    await db.query(`CREATE TABLE floor_accounts_${n} AS SELECT person_id, balance_fen FROM personal_accounts`);
    await db.query(`CREATE TABLE floor_entries_${n} (LIKE personal_account_entries INCLUDING DEFAULTS)`);
    const t0 = performance.now();
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO floor_entries_${n} (person_id, kind, amount_fen, balance_after_fen, year, month, rule, actor)
        SELECT p.id, 'credit', x.amount, x.amount, 2025, '2025-03', 'floor', 'bench'
        FROM persons p JOIN enrollments e ON e.person_id = p.id AND e.year = 2025 AND e.status = 'enrolled'
        LEFT JOIN personal_accounts a ON a.person_id = p.id,
        LATERAL (SELECT CASE WHEN p.employment_status = 'retired' THEN 9000 ELSE (a.contribution_base_fen * 200 + 5000) / 10000 END AS amount) x
        WHERE p.scheme = 'employee' AND x.amount IS NOT NULL`);
      await tx.query(`UPDATE floor_accounts_${n} f SET balance_fen = f.balance_fen + e.amount_fen FROM floor_entries_${n} e WHERE e.person_id = f.person_id`);
    });
    return performance.now() - t0;
  };
  log('plain SQL floor…');
  const floorMs = Math.min(await floor(1), await floor(2));
  log(`  ${seconds(floorMs)}`);
  log('credit run (first)…');
  let t0 = performance.now();
  const first = await creditMonth(db, policies, { month: '2025-03', today: '2025-12-31', actor: 'bench', onProgress: (done, total) => { if (done % 20_000 === 0) log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`); } });
  const firstMs = performance.now() - t0;
  log('credit run (again: nothing to credit)…');
  t0 = performance.now();
  const again = await creditMonth(db, policies, { month: '2025-03', today: '2025-12-31', actor: 'bench' });
  const againMs = performance.now() - t0;
  await db.close();

  console.log('');
  console.log(`data: ${EMPLOYEES.toLocaleString('en')} employees (PostgreSQL, schema ${SCHEMA})`);
  console.log(`credit run (first): ${seconds(firstMs)} — ${first.credited.toLocaleString('en')} credited, ${first.skippedNoBase.toLocaleString('en')} without a base; ledger, balances and an audit entry per row`);
  console.log(`credit run (again): ${seconds(againMs)} — ${again.credited} credited, ${again.alreadyCredited.toLocaleString('en')} already`);
  console.log(`plain SQL floor (INSERT … SELECT of the same rows and one UPDATE of the balances; no audit, no idempotence; best of 2): ${seconds(floorMs)}`);
  console.log(`ratio credit run ÷ floor: first ${(firstMs / floorMs).toFixed(1)}x, again ${(againMs / floorMs).toFixed(1)}x; ${Math.round(first.credited / (firstMs / 1000)).toLocaleString('en')} accounts/s`);
}

await main();
