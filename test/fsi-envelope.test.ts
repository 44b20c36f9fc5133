/**
 * The national interface's envelope, 9001 sign-in and 1101 person
 * information: the facility is its key's, fixmedins_code and msgid must say
 * so, every transaction but 9001 needs a sign-in, and every error answers
 * infcode -1 naming the field, writing nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import type { TestDb } from './support/db.ts';
import { CODES, KEYS, type Fixture } from './support/fixture.ts';
import { FSI_URL, openFsiApp, type FsiTestApp, type His } from './support/fsi.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let h: His;
let fsiApp: FsiTestApp;

beforeAll(async () => {
  fsiApp = await openFsiApp({ signIn: false });
  ({ t, app, f, h } = fsiApp);
});
afterAll(() => fsiApp?.close());

const messages = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM fsi_messages'))[0]!.n;

describe('9001 sign-in', () => {
  it('gives a sign_no, audited; a retry of its msgid answers the same sign_no', async () => {
    const first = await h.call('9001', { signIn: { opter_no: 'D001', mac: 'x', ip: '10.0.0.8' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ infcode: 0, err_msg: null, output: { signinoutb: { sign_no: expect.stringMatching(/^H51333000001/) } } });
    expect(first.body.refmsg_time).toMatch(/^\d{17}$/);
    expect(first.body.inf_refmsgid).toMatch(/^513330\d{21}$/);
    const retry = await h.resend(first.msgid, '9001', { signIn: { opter_no: 'D001', mac: 'x', ip: '10.0.0.8' } });
    expect(retry.body).toEqual(first.body);
    const audited = await t.db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'fsi.sign_in'`);
    expect(audited).toEqual([{ actor: `facility:${CODES.county}` }]);
    h.signNo = first.body.output.signinoutb.sign_no;
  });

  it('refuses a sign-in without the operator, writing nothing', async () => {
    for (const [input, field] of [[{}, 'input.signIn'], [{ signIn: {} }, 'input.signIn.opter_no'], [{ signIn: { opter_no: 7 } }, 'input.signIn.opter_no']] as const) {
      const r = await h.call('9001', input as Record<string, unknown>);
      expect([r.status, r.body.infcode, r.body.error?.code, r.body.error?.field]).toEqual([400, -1, 'INVALID_INPUT', field]);
    }
    expect((await t.db.query('SELECT 1 FROM fsi_sign_ins')).length).toBe(1);
  });
});

describe('1101 person information', () => {
  it('answers baseinfo, insuinfo and idetinfo from the register, the ID number masked', async () => {
    const r = await h.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: f.poor.idNumber, psn_cert_type: '01', certno: f.poor.idNumber } });
    expect(r.body.infcode, r.body.err_msg ?? '').toBe(0);
    const { baseinfo, insuinfo, idetinfo } = r.body.output;
    expect(baseinfo).toMatchObject({ psn_no: String(f.poor.id), psn_cert_type: '01', psn_name: '测试2', gend: '2', brdy: '1982-02-12', age: 43 });
    expect(baseinfo.certno).not.toBe(f.poor.idNumber);
    expect(baseinfo.certno).toMatch(/\*/);
    expect(insuinfo).toEqual([expect.objectContaining({ insutype: '390', psn_type: '15', balc: '0.00', psn_insu_stas: '1', insuplc_admdvs: '513330' })]);
    expect(idetinfo).toEqual([expect.objectContaining({ psn_idet_type: '2302', memo: 'minimum_living', begntime: '2024-01-01 00:00:00' })]);
  });

  it('by the electronic certificate (01) it gives no birth date; a pending person is not enrolled', async () => {
    const qr = await h.call('1101', { data: { mdtrt_cert_type: '01', mdtrt_cert_no: f.plain.qrToken } });
    expect(qr.body.output.baseinfo).toMatchObject({ psn_no: String(f.plain.id), brdy: '' });
    expect(qr.body.output.idetinfo).toEqual([]);
    const pending = await h.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: f.pending.idNumber } });
    expect(pending.body.output.insuinfo).toEqual([expect.objectContaining({ psn_insu_stas: '2' })]);
  });

  it('refuses an unknown person, a wrong certno and a bad certificate type', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ data: { mdtrt_cert_type: '02', mdtrt_cert_no: '51333019900101999X' } }, 404, 'UNKNOWN_PERSON', 'input.data.mdtrt_cert_no'],
      [{ data: { mdtrt_cert_type: '02', mdtrt_cert_no: f.poor.idNumber, certno: f.plain.idNumber } }, 422, 'CERTNO_MISMATCH', 'input.data.certno'],
      [{ data: { mdtrt_cert_type: '09', mdtrt_cert_no: f.poor.idNumber } }, 400, 'INVALID_INPUT', 'input.data.mdtrt_cert_type'],
      [{ data: { mdtrt_cert_type: '02' } }, 400, 'INVALID_INPUT', 'input.data.mdtrt_cert_no'],
      [{}, 400, 'INVALID_INPUT', 'input.data'],
    ];
    for (const [input, status, code, field] of cases) {
      const r = await h.call('1101', input);
      expect([r.status, r.body.infcode, r.body.error?.code, r.body.error?.field], code).toEqual([status, -1, code, field]);
    }
  });
});

describe('the envelope', () => {
  it('refuses a wrong facility, a bad msgid, an unknown infno, a missing sign-in and missing fields, recording nothing', async () => {
    const before = await messages();
    const cases: [Record<string, unknown>, number, string, string | undefined][] = [
      [{ fixmedins_code: CODES.clinic }, 422, 'FIXMEDINS_MISMATCH', 'fixmedins_code'],
      [{ fixmedins_code: 'H1' }, 400, 'INVALID_ENVELOPE', 'fixmedins_code'],
      [{ msgid: 'H5133300000120250601090000' }, 400, 'INVALID_ENVELOPE', 'msgid'],
      [{ msgid: 'H513330000012025023109000000001' }, 400, 'INVALID_ENVELOPE', 'msgid'],
      [{ msgid: 'H51333000002202506010900000001' }, 400, 'INVALID_MSGID', 'msgid'],
      [{ infno: '9999' }, 400, 'UNKNOWN_INFNO', 'infno'],
      [{ infno: '12' }, 400, 'INVALID_ENVELOPE', 'infno'],
      [{ sign_no: '' }, 401, 'SIGN_IN_REQUIRED', 'sign_no'],
      [{ sign_no: 'SOMEONE-ELSES' }, 401, 'UNKNOWN_SIGN_NO', 'sign_no'],
      [{ inf_time: '2025-06-01T09:00:00' }, 400, 'INVALID_ENVELOPE', 'inf_time'],
      [{ opter: undefined }, 400, 'INVALID_ENVELOPE', 'opter'],
      [{ input: 'x' }, 400, 'INVALID_ENVELOPE', 'input'],
      [{ mdtrtarea_admvs: '5133' }, 400, 'INVALID_ENVELOPE', 'mdtrtarea_admvs'],
      [{ mdtrtarea_admvs: '540102' }, 422, 'MDTRTAREA_MISMATCH', 'mdtrtarea_admvs'],
    ];
    for (const [over, status, code, field] of cases) {
      const r = await h.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: f.poor.idNumber } }, over);
      expect([r.status, r.body.infcode, r.body.error?.code, r.body.error?.field], JSON.stringify(over)).toEqual([status, -1, code, field]);
      expect(r.body.err_msg).toMatch(new RegExp(`^${field}: `));
    }
    expect(await messages()).toBe(before);
  });

  it('answers a missing or wrong key 401 in the envelope; X-Api-Key is taken too', async () => {
    const payload = { infno: '9001', msgid: `${CODES.county}202506010900009999`, input: {} };
    const none = await app.inject({ method: 'POST', url: FSI_URL, payload });
    expect([none.statusCode, none.json().infcode, none.json().error.code]).toEqual([401, -1, 'API_KEY_REQUIRED']);
    const wrong = await app.inject({ method: 'POST', url: FSI_URL, headers: { authorization: 'Bearer sb_wrong' }, payload });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'INVALID_API_KEY']);
    const lower = await app.inject({ method: 'POST', url: FSI_URL, headers: { 'x-api-key': KEYS.county }, payload: { ...payload, infno: '12' } });
    expect(lower.json().error.code).toBe('INVALID_ENVELOPE');
  });

  it('refuses a msgid of another transaction (9001 then 1101 under one msgid)', async () => {
    const first = await h.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: f.plain.idNumber } });
    expect(first.body.infcode).toBe(0);
    const other = await h.call('9001', { signIn: { opter_no: 'D001' } }, { msgid: first.msgid });
    expect([other.status, other.body.error?.code, other.body.error?.field]).toEqual([409, 'MSGID_CONFLICT', 'msgid']);
  });
});

describe('the OpenAPI document', () => {
  it('lists the national interface with its envelope', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths[FSI_URL].post;
    expect(op.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['infno', 'msgid', 'fixmedins_code', 'input']));
    expect(op.description).toContain('2304');
  });
});

describe('the bureau\'s view of the traffic', () => {
  it('lists answered transactions of the division\'s facilities, newest first, with no personal data', async () => {
    await loadDemoStaff(t.db);
    const token = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: 'clerk', password: DEMO_PASSWORD } })).json().token;
    const as = { authorization: `Bearer ${token}` };
    const res = await app.inject({ method: 'GET', url: `/api/v1/console/fsi/messages?facility=${CODES.county}`, headers: as });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.length).toBe(await messages());
    expect(items.at(-1)).toMatchObject({ infno: '9001', facility: { code: CODES.county } });
    expect(JSON.stringify(items)).not.toContain(f.poor.idNumber);
    expect(JSON.stringify(items)).not.toContain('测试');
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/fsi/messages' })).statusCode).toBe(401);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/console/fsi/messages?facility=H1', headers: as });
    expect([bad.statusCode, bad.json().error.field]).toEqual([400, 'facility']);
  });
});
