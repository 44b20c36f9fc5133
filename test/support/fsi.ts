/** Calling the national interface as a county hospital's HIS does: one envelope per transaction, msgids in sequence. */
import type { FastifyInstance } from 'fastify';
import { CODES, KEYS } from './fixture.ts';
import { openTestApp, type TestApp, type TestAppOptions } from './test-app.ts';

export const FSI_URL = '/fsi/api/rsfComIfsService/callService';

export interface His {
  /** Sends a transaction; returns the HTTP status and the response envelope. */
  call(infno: string, input: Record<string, unknown>, over?: Record<string, unknown>): Promise<{ status: number; body: FsiBody; msgid: string }>;
  /** The same envelope again (a retry), or with its input changed. */
  resend(msgid: string, infno: string, input: Record<string, unknown>): Promise<{ status: number; body: FsiBody }>;
  signIn(): Promise<string>;
  nextMsgid(): string;
  signNo: string;
}

export interface FsiBody {
  infcode: number;
  inf_refmsgid: string;
  refmsg_time: string;
  respond_time: string;
  err_msg: string | null;
  output: Record<string, any>;
  error?: { code: string; message: string; field?: string };
}

export function his(app: FastifyInstance, opts: { code?: string; key?: string; day?: string; area?: string } = {}): His {
  const code = opts.code ?? CODES.county;
  const key = opts.key ?? KEYS.county;
  const day = opts.day ?? '2025-06-01';
  let seq = 0;
  const stamp = day.replaceAll('-', '');
  const envelope = (infno: string, msgid: string, input: Record<string, unknown>, signNo: string) => ({
    infno, msgid, mdtrtarea_admvs: opts.area ?? '513330', insuplc_admdvs: opts.area ?? '513330', recer_sys_code: 'HIS', infver: 'V1.0', opter_type: '1', opter: 'D001',
    opter_name: '收费员', inf_time: `${day} 09:00:00`, fixmedins_code: code, fixmedins_name: '德格县人民医院', sign_no: signNo, input,
  });
  const h: His = {
    signNo: '',
    nextMsgid() {
      seq += 1;
      return `${code}${stamp}090000${String(seq).padStart(4, '0')}`;
    },
    async call(infno, input, over = {}) {
      const msgid = (over.msgid as string | undefined) ?? h.nextMsgid();
      const res = await app.inject({ method: 'POST', url: FSI_URL, headers: { authorization: `Bearer ${key}` }, payload: { ...envelope(infno, msgid, input, h.signNo), ...over } });
      return { status: res.statusCode, body: res.json(), msgid };
    },
    async resend(msgid, infno, input) {
      const res = await app.inject({ method: 'POST', url: FSI_URL, headers: { authorization: `Bearer ${key}` }, payload: envelope(infno, msgid, input, h.signNo) });
      return { status: res.statusCode, body: res.json() };
    },
    async signIn() {
      const r = await h.call('9001', { signIn: { opter_no: 'D001', mac: '00:11:22:33:44:55', ip: '10.0.0.8' } });
      h.signNo = r.body.output.signinoutb.sign_no;
      return h.signNo;
    },
  };
  return h;
}

/** A fee line as a HIS uploads it (yuan as strings, the way most send them). */
export function feeLine(sn: string, mdtrtId: string, psnNo: string, code: string, cnt: number, pric: string, date = '2025-06-01', extra: Record<string, unknown> = {}) {
  const [whole, dec = ''] = pric.split('.');
  const fen = Number(whole) * 100 + Number(dec.padEnd(2, '0'));
  const amount = cnt * fen;
  return {
    feedetl_sn: sn, mdtrt_id: mdtrtId, psn_no: psnNo, fee_ocur_time: `${date} 10:00:00`, med_list_codg: code, medins_list_codg: `HOSP-${code}`,
    det_item_fee_sumamt: `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`, cnt, pric, bilg_dept_codg: 'A03', bilg_dept_name: '内科', ...extra,
  };
}

export interface FsiTestApp extends TestApp {
  h: His;
}

/**
 * The service of test/support/test-app.ts with a HIS calling it (the county
 * hospital unless `his` says otherwise), signed in by 9001 unless `signIn` is false.
 */
export async function openFsiApp(opts: TestAppOptions & { his?: Parameters<typeof his>[1]; signIn?: boolean } = {}): Promise<FsiTestApp> {
  const s = await openTestApp(opts);
  try {
    const h = his(s.app, opts.his);
    if (opts.signIn !== false) await h.signIn();
    return { ...s, h };
  } catch (error) {
    await s.close();
    throw error;
  }
}

/**
 * A reconciliation period (3201 / 3202) that holds every bill a test file settles
 * today: from yesterday to tomorrow in Beijing, where the bureau's days are counted —
 * a file that runs across midnight there (16:00 UTC) still finds its bills.
 */
export function daysAroundToday(): { stmt_begndate: string; stmt_enddate: string } {
  const beijingDay = (offsetDays: number) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
  return { stmt_begndate: beijingDay(-1), stmt_enddate: beijingDay(1) };
}
