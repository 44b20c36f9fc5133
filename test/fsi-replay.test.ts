/**
 * A day of a county hospital's traffic through the national interface —
 * sign-in, person information, admissions, fee uploads (some cancelled),
 * discharges, pre-settlements, settlements (one retried, one cancelled and
 * settled again), outpatient visits (one reversed by 2601), settlement lists —
 * reconciles to the fen with Sanbao's own records.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import type { Identity } from '../src/domain/vocabulary.ts';
import { importShippedCatalogues } from '../src/service/catalogue-import.ts';
import { importReferenceCatalogues } from '../src/service/insurance-catalogue-import.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture, type FixturePerson } from './support/fixture.ts';
import { daysAroundToday, feeLine, his, type His } from './support/fsi.ts';
import { addEnrolledPerson } from './support/more-persons.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let h: His;
const people: FixturePerson[] = [];

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadPolicies();
  f = await seedFixture(t.db, policies);
  await importReferenceCatalogues(t.db, 'test');
  await importShippedCatalogues(t.db, 'test');
  const kinds: Identity[][] = [[], ['minimum_living'], ['extreme_poverty'], [], ['monitored'], [], ['severe_disability'], []];
  for (const identities of kinds) people.push(await addEnrolledPerson(t.db, policies, identities));
  people.push(f.plain, f.poor, f.extreme, f.alleviated);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  h = his(app, { day: '2025-06-10' });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

/** A small deterministic generator: the day is the same on every run. */
function prng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s % n;
  };
}

const ITEMS = [['XA10BAE054A001', '1.50'], ['XJ01DDC175B002', '40.00'], ['T000700456', '20.00'], ['001105000010000', '30.00']] as const;
const fen = (yuan: string) => {
  const negative = yuan.startsWith('-');
  const [w, d = ''] = yuan.replace('-', '').split('.');
  return (negative ? -1 : 1) * (Number(w) * 100 + Number(d.padEnd(2, '0')));
};

async function ok(infno: string, input: Record<string, unknown>) {
  const r = await h.call(infno, input);
  expect(r.body.infcode, `${infno}: ${r.body.err_msg}`).toBe(0);
  return r;
}

describe('a day at the county hospital', () => {
  it('reconciles to the fen with Sanbao\'s own records', async () => {
    const random = prng(20250610);
    await h.signIn();
    /** What the HIS believes it settled, from the answers it got: setl_id → setlinfo. */
    const settled = new Map<string, Record<string, string>>();
    /** Settlements the HIS cancelled (2305 / 2601) the same day: a settlement line and its reversal line in the detail. */
    const cancelled = new Map<string, Record<string, string>>();
    const cert = (p: FixturePerson, byQr: boolean) => (byQr ? { mdtrt_cert_type: '01', mdtrt_cert_no: p.qrToken } : { mdtrt_cert_type: '02', mdtrt_cert_no: p.idNumber });

    // Morning: every patient's card is read (1101).
    for (const [i, p] of people.entries()) {
      const info = await ok('1101', { data: cert(p, i % 3 === 0) });
      expect(info.body.output.baseinfo.psn_no).toBe(String(p.id));
    }

    // Inpatients: admitted over the last days, their fee lines uploaded, discharged and settled today.
    const inpatients = people.slice(0, 7);
    const stays: { p: FixturePerson; mdtrtId: string; total: number; settleMsgid?: string }[] = [];
    for (const [i, p] of inpatients.entries()) {
      const begin = `2025-06-0${1 + (i % 5)}`;
      const adm = await ok('2401', { mdtrtinfo: { psn_no: String(p.id), insutype: '390', ...cert(p, false), med_type: '21', ipt_no: `ZY${1000 + i}`, begntime: `${begin} 08:00:00`, dscg_maindiag_code: 'J18.900' } });
      const mdtrtId = adm.body.output.result.mdtrt_id as string;
      let total = 0;
      let sn = 0;
      for (let d = 0; d < 3; d++) {
        const day = `2025-06-0${1 + (i % 5) + d}`;
        const lines = Array.from({ length: 1 + random(3) }, () => {
          const [code, pric] = ITEMS[random(ITEMS.length)]!;
          sn += 1;
          return feeLine(String(sn), mdtrtId, String(p.id), code, 1 + random(4), pric, day);
        });
        await ok('2301', { feedetail: lines });
        total += lines.reduce((s, l) => s + fen(l.det_item_fee_sumamt), 0);
      }
      // A line entered by mistake and cancelled.
      const mistake = feeLine('X', mdtrtId, String(p.id), 'XA10BAE054A001', 9, '1.50', begin);
      await ok('2301', { feedetail: [mistake] });
      await ok('2302', { data: { feedetl_sn: 'X', mdtrt_id: mdtrtId, psn_no: String(p.id) } });
      await ok('2402', { dscginfo: { mdtrt_id: mdtrtId, psn_no: String(p.id), insutype: '390', endtime: `2025-06-0${3 + (i % 5)} 10:00:00` } });
      stays.push({ p, mdtrtId, total });
    }
    const settleInput = (s: (typeof stays)[number]) => ({
      data: { psn_no: String(s.p.id), ...cert(s.p, false), medfee_sumamt: `${Math.floor(s.total / 100)}.${String(s.total % 100).padStart(2, '0')}`, psn_setlway: '01', mdtrt_id: s.mdtrtId, insutype: '390', acct_used_flag: '0' },
    });
    for (const s of stays) {
      const trial = await ok('2303', settleInput(s));
      const r = await ok('2304', settleInput(s));
      // The trial told the patient what the settlement then paid.
      expect(r.body.output.setlinfo.fund_pay_sumamt).toBe(trial.body.output.setlinfo.fund_pay_sumamt);
      s.settleMsgid = r.msgid;
      settled.set(r.msgid, r.body.output.setlinfo);
    }
    // A settlement whose answer was lost: the HIS sends the same msgid again and gets the same settlement.
    const retried = await h.resend(stays[0]!.settleMsgid!, '2304', settleInput(stays[0]!));
    expect(retried.body.output.setlinfo).toEqual(settled.get(stays[0]!.settleMsgid!));

    // A settlement cancelled at the desk (a wrong line): cancelled, the line removed, settled again.
    const wrong = stays[1]!;
    await ok('2305', { data: { setl_id: wrong.settleMsgid, mdtrt_id: wrong.mdtrtId, psn_no: String(wrong.p.id) } });
    cancelled.set(wrong.settleMsgid!, settled.get(wrong.settleMsgid!)!);
    settled.delete(wrong.settleMsgid!);
    const cancelledLine = await ok('2302', { data: { feedetl_sn: '1', mdtrt_id: wrong.mdtrtId, psn_no: String(wrong.p.id) } });
    expect(cancelledLine.body.output.result).toEqual([{ feedetl_sn: '1' }]);
    const [removed] = await t.db.query<{ amount_fen: number }>(`SELECT amount_fen FROM fsi_fee_lines l JOIN fsi_visits v ON v.id = l.visit_id WHERE v.mdtrt_id = $1 AND l.feedetl_sn = '1'`, [wrong.mdtrtId]);
    wrong.total -= Number(removed!.amount_fen);
    const again = await ok('2304', settleInput(wrong));
    settled.set(again.msgid, again.body.output.setlinfo);

    // Settlement lists for DRG (4101), the first one's total checked against its settlement.
    for (const s of stays.slice(0, 3)) {
      const info = settled.get(s.settleMsgid!) ?? again.body.output.setlinfo;
      await ok('4101', {
        setlinfo: {
          setl_id: info.setl_id, mdtrt_id: s.mdtrtId, psn_no: String(s.p.id), gend: '1', age: 40, adm_time: '2025-06-01 08:00:00', dscg_time: '2025-06-03', ipt_days: 2, dscg_way: '1',
          medfee_sumamt: info.medfee_sumamt, psn_selfpay: info.psn_part_amt, fund_pay_sumamt: info.fund_pay_sumamt,
        },
        diseinfo: [{ diag_code: 'J18.900', maindiag_flag: '1' }],
      });
    }

    // Outpatients: registered, lines uploaded, settled; the last one's answer lost and reversed with 2601.
    for (const [i, p] of people.slice(7).entries()) {
      const reg = await ok('2201', { data: { psn_no: String(p.id), insutype: '390', begntime: '2025-06-10 09:30:00', ...cert(p, i % 2 === 0), ipt_otp_no: `MZ${i}`, med_type: '11' } });
      const mdtrtId = reg.body.output.data.mdtrt_id;
      const lines = [feeLine('1', mdtrtId, String(p.id), 'XA10BAE054A001', 1 + random(20), '1.50', '2025-06-10', { chrg_bchno: 'C1' })];
      await ok('2204', { feedetail: lines });
      const data = { psn_no: String(p.id), ...cert(p, false), med_type: '11', medfee_sumamt: lines[0]!.det_item_fee_sumamt, psn_setlway: '01', mdtrt_id: mdtrtId, insutype: '390' };
      await ok('2206', { data });
      const r = await ok('2207', { data });
      settled.set(r.msgid, r.body.output.setlinfo);
      if (i === people.length - 8) {
        await ok('2601', { data: { psn_no: String(p.id), omsgid: r.msgid, oinfno: '2207' } });
        cancelled.set(r.msgid, r.body.output.setlinfo);
        settled.delete(r.msgid);
      }
    }

    // Evening: the HIS's own totals from the answers it got…
    const his = { count: 0, medfee: 0, fund: 0, cash: 0, byClr: {} as Record<string, number> };
    for (const s of settled.values()) {
      his.count += 1;
      his.medfee += fen(s.medfee_sumamt!);
      his.fund += fen(s.fund_pay_sumamt!);
      his.cash += fen(s.psn_cash_pay!);
      his.byClr[s.clr_type!] = (his.byClr[s.clr_type!] ?? 0) + fen(s.fund_pay_sumamt!);
    }
    // …are Sanbao's own records of the facility's day, to the fen.
    const [own] = await t.db.query<{ n: number; total: number; funds: number; self_pay: number }>(
      `SELECT count(*)::int AS n, coalesce(sum(total_fen), 0)::bigint AS total, coalesce(sum(funds_fen), 0)::bigint AS funds, coalesce(sum(self_pay), 0)::bigint AS self_pay
       FROM settlements WHERE facility_id = $1 AND status = 'settled'`, [f.facilities.county],
    );
    expect({ count: his.count, medfee: his.medfee, fund: his.fund, cash: his.cash }).toEqual({ count: own!.n, medfee: Number(own!.total), fund: Number(own!.funds), cash: Number(own!.self_pay) });
    expect(his.count).toBe(7 + 5 - 1);
    // Each settlement the HIS holds is Sanbao's, fund by fund.
    for (const [setlId, s] of settled) {
      const mine = (await app.inject({ method: 'GET', url: `/api/v1/settlements/${setlId}`, headers: { authorization: `Bearer ${KEYS.county}` } })).json();
      expect(mine.status).toBe('settled');
      expect([fen(s.medfee_sumamt!), fen(s.hifp_pay!), fen(s.hifmi_pay!), fen(s.maf_pay!), fen(s.psn_part_amt!)]).toEqual(
        [mine.total, mine.funds.basic, mine.funds.critical, mine.funds.assistance + mine.funds.tilt, mine.selfPay],
      );
    }
    // Reconciliation through the interface: 3201 per clearing type from the HIS's own answers balances…
    const period = { setl_optins: '513330', ...daysAroundToday() };
    const byClr = new Map<string, { n: number; medfee: number; fund: number; acct: number }>();
    for (const s of settled.values()) {
      const x = byClr.get(s.clr_type!) ?? { n: 0, medfee: 0, fund: 0, acct: 0 };
      byClr.set(s.clr_type!, { n: x.n + 1, medfee: x.medfee + fen(s.medfee_sumamt!), fund: x.fund + fen(s.fund_pay_sumamt!), acct: x.acct + fen(s.acct_pay!) });
    }
    expect([...byClr.keys()].sort()).toEqual(['11', '21']);
    const y = (n: number) => `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;
    for (const [clr, x] of byClr) {
      const r = await ok('3201', { data: { insutype: '390', clr_type: clr, ...period, medfee_sumamt: y(x.medfee), fund_pay_sumamt: y(x.fund), acct_pay: y(x.acct), fixmedins_setl_cnt: x.n } });
      expect(r.body.output.stmtinfo, clr).toEqual({ setl_optins: '513330', stmt_rslt: '0', stmt_rslt_dscr: '平衡 balanced' });
    }
    // …and a figure one fen off is named.
    const inpatient = byClr.get('21')!;
    const off = await ok('3201', { data: { insutype: '390', clr_type: '21', ...period, medfee_sumamt: y(inpatient.medfee + 1), fund_pay_sumamt: y(inpatient.fund), fixmedins_setl_cnt: inpatient.n } });
    expect(off.body.output.stmtinfo.stmt_rslt).toBe('1');
    expect(off.body.output.stmtinfo.stmt_rslt_dscr).toContain(`medfee_sumamt: bureau ${y(inpatient.medfee)}, hospital ${y(inpatient.medfee + 1)}`);
    // 3202: every settlement and every reversal, one by one, balances; one left out is named.
    const detail = [
      ...[...settled].map(([id, s]) => ({ setl_id: id, refd_setl_flag: '0', medfee_sumamt: s.medfee_sumamt, fund_pay_sumamt: s.fund_pay_sumamt, acct_pay: s.acct_pay })),
      ...[...cancelled].flatMap(([id, s]) => [
        { setl_id: id, refd_setl_flag: '0', medfee_sumamt: s.medfee_sumamt, fund_pay_sumamt: s.fund_pay_sumamt, acct_pay: s.acct_pay },
        { setl_id: id, refd_setl_flag: '1', medfee_sumamt: `-${s.medfee_sumamt}`, fund_pay_sumamt: `-${s.fund_pay_sumamt}`, acct_pay: '0.00' },
      ]),
    ];
    const balanced = await ok('3202', { data: period, detail });
    expect(balanced.body.output).toEqual({ stmtinfo: { setl_optins: '513330', stmt_rslt: '0', stmt_rslt_dscr: '平衡 balanced' }, detail: [] });
    const missing = await ok('3202', { data: period, detail: detail.slice(1) });
    expect(missing.body.output.stmtinfo.stmt_rslt).toBe('1');
    expect(missing.body.output.detail).toEqual([expect.objectContaining({ setl_id: detail[0]!.setl_id, kind: 'bureau_only', hospital: null })]);
    const [records] = await t.db.query<{ matched: number; open: number }>(
      `SELECT count(*) FILTER (WHERE status = 'matched')::int AS matched, count(*) FILTER (WHERE status = 'open')::int AS open FROM reconciliations WHERE facility_id = $1`, [f.facilities.county],
    );
    expect(records).toEqual({ matched: 3, open: 2 });

    // The accumulators of the person whose bill was cancelled and settled again hold only the second settlement.
    const [acc] = await t.db.query<{ basic: number }>('SELECT basic FROM accumulators WHERE person_id = $1 AND year = 2025', [wrong.p.id]);
    expect(Number(acc!.basic)).toBe(fen(again.body.output.setlinfo.hifp_pay));
  });
});
