/**
 * Issue 12: "the settlement's compliant amount is their sum, explained line by
 * line in the steps". Every reader of a settlement's steps — the hospital's
 * answer, a retry, a read, the console, the resident, FHIR — carries the
 * bill's step: its lines in groups with quantity × unit price, class, what the
 * patient pays and why, the restrictions not met, adding up to the compliant
 * amount; a bill without lines says it is unverified. The funds' money and
 * their stored rows are unchanged by it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtpSender } from '../src/service/resident-auth.ts';
import { fhirSchemaErrors } from './support/fhir-schema.ts';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let clerk: { authorization: string };
let sex: 'M' | 'F';
const sent: { idNumber: string; code: string }[] = [];
const sender: OtpSender = { send: async (m) => void sent.push({ idNumber: m.idNumber, code: m.code }) };

let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ catalogues: ['reference'], staff: ['clerk'], app: { otpSender: sender } });
  ({ t, app, f } = testApp);
  clerk = testApp.as('clerk');
  sex = (await t.db.query<{ sex: 'M' | 'F' }>('SELECT sex FROM persons WHERE id = $1', [f.plain.id]))[0]!.sex;
});
afterAll(() => testApp?.close());

const auth = (key: string = KEYS.county) => ({ authorization: `Bearer ${key}` });
const line = (code: string, quantity: number, unitPrice: number, date = '2025-06-01') => ({ code, quantity, unitPrice, amount: quantity * unitPrice, date, department: '内科' });
const visit = { kind: 'inpatient', date: '2025-06-01', dischargeDate: '2025-06-03', diagnosis: 'J18.900' };
// The other sex's drug: for a man, estradiol (women only); for a woman, tamsulosin (men only).
const otherSexDrug = () => (sex === 'M' ? 'XG03CAE042B001' : 'XG04CAT059B001');
const LINES = () => [
  line('XA10BAE054A001', 2, 150), // class A
  line('XJ01DDC175B002', 4, 4_000, '2025-06-02'), // class B 10 %, ceiling 38.50 yuan
  line('T000700456', 5, 2_000), // class C
  line('XA10BAE054A001', 2, 150, '2025-06-02'), // the same code at the same price again: told with the first
  line(otherSexDrug(), 1, 500), // a restriction not met
];

type Group = { code: string; lines: number; quantity: number; amount: number; aboveCap: number; excluded: number; selfPayFirst: number; compliant: number; class: string; unmet?: { restriction: string }[] };
const billStep = (steps: { fund: string }[]) => steps.find((s) => s.fund === 'bill') as unknown as { rule: string; base: number; amount: number; lineCount: number; groups: Group[]; note?: string };

describe('the bill step in every answer', () => {
  it('tells the itemised bill line by line after the funds’ steps, in the answer, a retry, a read and a pre-settlement', async () => {
    const payload = { transactionId: 'BS-1', patient: { idNumber: f.plain.idNumber }, visit, lines: LINES() };
    const res = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.steps[0].fund).toBe('basic'); // the funds' steps keep their places
    expect(body.steps.at(-1).fund).toBe('bill');
    const step = billStep(body.steps);
    expect(step).toMatchObject({ rule: 'bill.itemised', base: body.total, amount: body.compliant, lineCount: 5 });
    expect(step.groups.map((g) => [g.code, g.class, g.lines, g.quantity, g.amount, g.aboveCap, g.excluded, g.selfPayFirst, g.compliant])).toEqual([
      ['XA10BAE054A001', 'A', 2, 4, 600, 0, 0, 0, 600],
      ['XJ01DDC175B002', 'B', 1, 4, 16_000, 600, 0, 1_540, 13_860],
      ['T000700456', 'C', 1, 5, 10_000, 0, 10_000, 0, 0],
      [otherSexDrug(), 'B', 1, 1, 500, 0, 0, 25, 475],
    ]);
    expect(step.groups[3]!.unmet).toEqual([{ restriction: 'sex', sex: sex === 'M' ? 'F' : 'M' }]);
    expect(step.groups.reduce((a, g) => a + g.compliant, 0)).toBe(body.compliant);
    // The funds' rows hold funds only; the answer's funds name no "bill".
    const rows = await t.db.query<{ fund: string }>('SELECT sf.fund FROM settlement_funds sf JOIN settlements s ON s.id = sf.settlement_id WHERE s.transaction_id = $1', ['BS-1']);
    expect(rows.map((r) => r.fund)).not.toContain('bill');
    expect(Object.keys(body.funds)).not.toContain('bill');

    const retry = await app.inject({ method: 'POST', url: '/api/v1/settlements', headers: auth(), payload });
    expect(retry.statusCode).toBe(200);
    expect(billStep(retry.json().steps)).toEqual(step);
    const read = await app.inject({ method: 'GET', url: '/api/v1/settlements/BS-1', headers: auth() });
    expect(billStep(read.json().steps)).toEqual(step);
    const pre = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: auth(), payload: { patient: { idNumber: f.poor.idNumber }, visit, lines: LINES() } });
    expect(billStep(pre.json().steps)).toMatchObject({ rule: 'bill.itemised', lineCount: 5 });
  });

  it('says a bill without lines is unverified: its compliant amount is the hospital’s', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: auth(),
      payload: { transactionId: 'BS-2', patient: { idNumber: f.plain.idNumber }, visit: { kind: 'outpatient', date: '2025-06-05' }, amounts: { total: 10_000, compliant: 9_000 } },
    });
    expect(res.statusCode).toBe(201);
    expect(billStep(res.json().steps)).toEqual({ fund: 'bill', rule: 'bill.unverified', base: 10_000, amount: 9_000, note: 'compliant amount as declared by the hospital' });
  });

  it('names the hospital level a line needs (a level-1 clinic billing a level-2 drug)', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: auth(KEYS.clinic),
      payload: { patient: { idNumber: f.plain.idNumber }, visit: { ...visit, diagnosis: 'C50.900' }, lines: [line('XL01XCT057B002', 1, 500_000)] },
    });
    expect(res.statusCode).toBe(200);
    expect(billStep(res.json().steps).groups[0]!.unmet).toEqual([{ restriction: 'level', minLevel: 2, level: 1 }]);
  });

  it('reaches the console’s settlement page and the resident’s list', async () => {
    const [s] = await t.db.query<{ id: number }>(`SELECT id::int AS id FROM settlements WHERE transaction_id = 'BS-1'`);
    const detail = await app.inject({ method: 'GET', url: `/api/v1/console/settlements/${s!.id}`, headers: clerk });
    expect(detail.statusCode).toBe(200);
    expect(billStep(detail.json().steps)).toMatchObject({ rule: 'bill.itemised', lineCount: 5 });

    await app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber: f.plain.idNumber } });
    const code = sent.filter((x) => x.idNumber === f.plain.idNumber).at(-1)!.code;
    const login = await app.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber: f.plain.idNumber, code } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const items = (await app.inject({ method: 'GET', url: '/api/v1/me/settlements', headers: { cookie } })).json().items as { steps: { fund: string }[]; compliant: number }[];
    const mine = items.find((i) => billStep(i.steps)?.rule === 'bill.itemised');
    expect(billStep(mine!.steps).groups.find((g) => g.class === 'C')).toMatchObject({ excluded: 10_000 });
  });

  it('gives FHIR ExplanationOfBenefit its items, line group by line group, valid R4', async () => {
    const [s] = await t.db.query<{ id: number }>(`SELECT id::int AS id FROM settlements WHERE transaction_id = 'BS-1'`);
    const res = await app.inject({ method: 'GET', url: `/fhir/r4/ExplanationOfBenefit/${s!.id}`, headers: clerk });
    expect(res.statusCode).toBe(200);
    const eob = res.json();
    expect(fhirSchemaErrors(eob)).toEqual([]);
    expect(eob.item).toHaveLength(4);
    const classC = eob.item[2];
    expect(classC.productOrService.coding[0]).toMatchObject({ code: 'T000700456' });
    expect(classC.net).toEqual({ value: 100, currency: 'CNY' });
    expect(classC.adjudication.map((a: { category: { coding: { code: string }[] }; amount: { value: number } }) => [a.category.coding[0]!.code, a.amount.value])).toEqual([
      ['submitted', 100], ['eligible', 0], ['class_c', 100],
    ]);
    const [u] = await t.db.query<{ id: number }>(`SELECT id::int AS id FROM settlements WHERE transaction_id = 'BS-2'`);
    const unverified = (await app.inject({ method: 'GET', url: `/fhir/r4/ExplanationOfBenefit/${u!.id}`, headers: clerk })).json();
    expect(fhirSchemaErrors(unverified)).toEqual([]);
    expect(unverified.item).toBeUndefined();
    expect(unverified.processNote[0].text).toMatch(/^Unverified: compliant amount as declared by the hospital/);
  });
});
