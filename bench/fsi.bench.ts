/**
 * `npm run bench:fsi`: what the national interface costs a hospital beside
 * Sanbao's own API, for the same bills on the same database in the same run.
 * The floor: one POST /api/v1/settlements with the bill's fee lines. The
 * figure: the national interface's day for the same bill — 2201 registration,
 * 2204 fee lines, 2207 settlement (three calls, each recorded under its msgid).
 * Both in process (Fastify inject), so the ratio is the adapter's own work.
 *
 * Settings: BENCH_BILLS (300 each way), BENCH_PERSONS (2000), DATABASE_URL (unset: PGlite in memory).
 */
import { buildApp } from '../src/api/app.ts';
import { generateCounty, SMALL_DEMO } from '../src/demo/generate.ts';
import { loadCounty } from '../src/demo/load.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { importReferenceCatalogues } from '../src/service/insurance-catalogue-import.ts';
import { openDatabase } from '../src/store/open.ts';

const BILLS = Number(process.env.BENCH_BILLS ?? 300);
const PERSONS = Number(process.env.BENCH_PERSONS ?? 2000);
const log = (m: string) => process.stderr.write(`${m}\n`);

const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
const policies = loadPolicies();
log(`seeding ${PERSONS} persons …`);
const options = { ...SMALL_DEMO, persons: PERSONS, townships: 4, villagesPerTownship: 5 };
await loadCounty(db, policies, generateCounty(options), { year: options.year });
await importReferenceCatalogues(db, 'bench');
const people = await db.query<{ id: number; id_number: string }>(
  `SELECT p.id, p.id_number FROM persons p JOIN enrollments e ON e.person_id = p.id AND e.year = 2025 AND e.status = 'enrolled' AND e.scheme = 'resident' ORDER BY p.id LIMIT $1`,
  [BILLS * 2],
);
if (people.length < BILLS * 2) throw new Error(`only ${people.length} enrolled residents; raise BENCH_PERSONS`);
const app = await buildApp({ db, policies, logLevel: 'silent' });
const KEY = 'sb_demo_dege_county_hospital';
const CODE = 'H51333000001';
const auth = { authorization: `Bearer ${KEY}` };

const LINES = [['XA10BAE054A001', 10, 150], ['XJ01DDC175B002', 4, 4_000], ['T000700456', 5, 2_000]] as const;
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const total = LINES.reduce((s, [, n, p]) => s + n * p, 0);

async function own(i: number, p: { id_number: string }): Promise<void> {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/settlements', headers: auth,
    payload: {
      transactionId: `B-OWN-${i}`, patient: { idNumber: p.id_number }, visit: { kind: 'outpatient', date: '2025-06-01' },
      lines: LINES.map(([code, quantity, unitPrice]) => ({ code, quantity, unitPrice, amount: quantity * unitPrice, date: '2025-06-01', department: '内科' })),
    },
  });
  if (res.statusCode !== 201) throw new Error(`own ${res.statusCode} ${res.body}`);
}

let seq = 0;
/** A valid msgid per message: the code, a time that moves one second per 10,000 messages, a 4-digit sequence. */
function nextMsgid(): string {
  seq += 1;
  const second = Math.floor(seq / 10_000);
  const hh = String(9 + Math.floor(second / 3600)).padStart(2, '0');
  const mm = String(Math.floor((second % 3600) / 60)).padStart(2, '0');
  const ss = String(second % 60).padStart(2, '0');
  return `${CODE}20250601${hh}${mm}${ss}${String(seq % 10_000).padStart(4, '0')}`;
}
const envelope = (infno: string, input: unknown, signNo: string) => ({
  infno, msgid: nextMsgid(), mdtrtarea_admvs: '513330', insuplc_admdvs: '513330', recer_sys_code: 'HIS', infver: 'V1.0', opter_type: '1', opter: 'D001', opter_name: 'bench',
  inf_time: '2025-06-01 09:00:00', fixmedins_code: CODE, fixmedins_name: '德格县人民医院', sign_no: signNo, input,
});
async function call(infno: string, input: unknown, signNo: string) {
  const res = await app.inject({ method: 'POST', url: '/fsi/api/rsfComIfsService/callService', headers: auth, payload: envelope(infno, input, signNo) });
  const body = res.json();
  if (body.infcode !== 0) throw new Error(`${infno}: ${body.err_msg}`);
  return body.output;
}

async function national(p: { id: number; id_number: string }, signNo: string): Promise<void> {
  const psn = String(p.id);
  const reg = await call('2201', { data: { psn_no: psn, insutype: '390', begntime: '2025-06-01 08:00:00', mdtrt_cert_type: '02', mdtrt_cert_no: p.id_number, ipt_otp_no: `MZ${psn}` } }, signNo);
  const mdtrtId = reg.data.mdtrt_id;
  await call('2204', { feedetail: LINES.map(([code, n, pric], k) => ({
    feedetl_sn: String(k + 1), mdtrt_id: mdtrtId, psn_no: psn, fee_ocur_time: '2025-06-01 09:00:00', med_list_codg: code, medins_list_codg: code,
    det_item_fee_sumamt: yuan(n * pric), cnt: n, pric: yuan(pric), bilg_dept_name: '内科',
  })) }, signNo);
  await call('2207', { data: { psn_no: psn, mdtrt_cert_type: '02', mdtrt_cert_no: p.id_number, medfee_sumamt: yuan(total), psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' } }, signNo);
}

const signNo = (await call('9001', { signIn: { opter_no: 'D001' } }, '')).signinoutb.sign_no as string;
// Warm both paths once (statement plans, JIT).
await own(-1, people[0]!);
await national(people[1]!, signNo);

let t0 = performance.now();
for (let i = 0; i < BILLS; i++) await own(i, people[2 + i]!);
const ownMs = (performance.now() - t0) / BILLS;
t0 = performance.now();
for (let i = 0; i < BILLS - 2; i++) await national(people[BILLS + 2 + i]!, signNo);
const nationalMs = (performance.now() - t0) / (BILLS - 2);

console.log(`national interface (2201 + 2204 + 2207) per bill: ${nationalMs.toFixed(2)} ms (${(1000 / nationalMs).toFixed(1)} bills/s)`);
console.log(`floor, Sanbao's own settle with the same lines:   ${ownMs.toFixed(2)} ms (${(1000 / ownMs).toFixed(1)} bills/s)`);
console.log(`ratio: ${(nationalMs / ownMs).toFixed(2)} (three calls against one; ${db.kind})`);
await app.close();
await db.close();
