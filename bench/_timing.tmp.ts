import { openPostgres } from '/work/wt/h-batch/src/store/postgres-db.ts';
import { loadPolicies } from '/work/wt/h-batch/src/domain/policy/registry.ts';
import { settleBatch } from '/work/wt/h-batch/src/service/settle-batch.ts';
import { findFacilityByApiKey } from '/work/wt/h-batch/src/store/repositories/facilities.ts';
import { execFileSync } from 'node:child_process';
const base = execFileSync('bash', ['scripts/pg-local.sh'], { encoding: 'utf8' }).trim().replace(/\/sanbao_test$/, '/sanbao_bench_settle');
const db0 = await openPostgres(base, 2);
const times = new Map<string, number[]>();
let inStmt = 0;
let explained = 0;
const wrapQ = (q: any) => ({ async query(sql: string, params?: unknown[]) {
  if (process.env.EXPLAIN && sql.includes(process.env.EXPLAIN) && explained++ === 15) {
    await q.query('SAVEPOINT ex');
    const plan = await q.query('EXPLAIN (ANALYZE, BUFFERS, WAL) ' + sql, params);
    console.log(plan.map((r: any) => r['QUERY PLAN']).join('\n'));
    await q.query('ROLLBACK TO SAVEPOINT ex');
  }
  const t = performance.now(); try { return await q.query(sql, params); } finally { inStmt += performance.now() - t; const k = (sql.includes('born AS') ? 'LOCK ' : sql.includes('r AS (SELECT') ? 'CTX ' : '') + sql.slice(0, 36).replace(/\s+/g, ' '); (times.get(k) ?? times.set(k, []).get(k)!).push(performance.now() - t); } } });
const push = (k: string, v: number) => (times.get(k) ?? times.set(k, []).get(k)!).push(v);
const db: any = { ...db0, query: wrapQ(db0).query, transaction: (fn: any) => { const t = performance.now(); let bodyEnd = 0; inStmt = 0; return db0.transaction(async (tx) => { const t1 = performance.now(); push('BEGIN', t1 - t); const r = await fn(wrapQ(tx)); bodyEnd = performance.now(); push('node inside txn', bodyEnd - t1 - inStmt); return r; }).finally(() => { push('COMMIT', performance.now() - bodyEnd); (times.get('TXN total') ?? times.set('TXN total', []).get('TXN total')!).push(performance.now() - t); }); } };
const policies = loadPolicies();
const facility = (await findFacilityByApiKey(db0, 'sb_demo_dege_county_hospital'))!;
const people = (await db0.query<{ id_number: string }>(`SELECT p.id_number FROM persons p JOIN enrollments e ON e.person_id = p.id AND e.year = 2025 AND e.status = 'enrolled' LIMIT 3000`)).map((r) => r.id_number);
const N = Number(process.argv[2] ?? 16);
let n = 0;
for (let round = 0; round < 40; round++) {
  if (round === 10) times.clear();
  const items = Array.from({ length: N }, () => { const k = n++; const total = 50_000 + ((k * 104_729) % 5_000_000); return { facility, request: { transactionId: `timing-${Date.now()}-${k}`, patient: { idNumber: people[(k * 7919) % people.length]! }, visit: { kind: 'inpatient' as const, date: '2025-07-01' }, amounts: { total, compliant: Math.floor(total * 4 / 5) } } }; });
  const r = await settleBatch({ db, policies }, items);
  if (r.some((x) => !x.ok)) console.log(r.find((x) => !x.ok));
}
for (const [k, v] of times) { v.sort((a, b) => a - b); console.log(k.padEnd(42), 'n', v.length, 'median ms', v[Math.floor(v.length / 2)]!.toFixed(2), 'per bill', (v[Math.floor(v.length / 2)]! / N).toFixed(3)); }
await db0.close();
