/**
 * Chronic and special diseases end to end: application (station, hospital),
 * review with documents, approval with validity, renewal, revocation, all
 * audited; a chronic visit settles only against an approved disease whose
 * codes cover the diagnosis, within the disease's yearly limit.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importShippedCatalogues } from '../src/service/catalogue-import.ts';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ catalogues: ['reference'], staff: ['clerk', 'station1', 'auditor'] });
  ({ t, app, f } = testApp);
});
afterAll(() => testApp?.close());

const as = (username: string) => testApp.as(username);
const hospital = { authorization: `Bearer ${KEYS.county}` };
const DOC = { kind: 'diagnosis_certificate', fileName: '诊断证明.pdf', sha256: 'b'.repeat(64), sizeBytes: 120_000 };
let n = 0;
const chronicBill = (idNumber: string, date: string, diagnosis: string | undefined, compliant: number) => ({
  transactionId: `CH-${++n}`, patient: { idNumber }, visit: { kind: 'chronic', chronicClass: 'A', date, ...(diagnosis ? { diagnosis } : {}) },
  amounts: { total: compliant, compliant },
});
const settleChronic = (idNumber: string, date: string, diagnosis: string | undefined, compliant: number) =>
  app.inject({ method: 'POST', url: '/api/v1/settlements', headers: hospital, payload: chronicBill(idNumber, date, diagnosis, compliant) });

describe('chronic-disease approvals and chronic visits', () => {
  let applicationId = 0;
  let approvalId = 0;

  it('refuses a chronic visit without a diagnosis, or without an approval covering it (the old "anything" loophole)', async () => {
    const none = await settleChronic(f.plain.idNumber, '2025-03-01', undefined, 10_000);
    expect(none.statusCode).toBe(422);
    expect(none.json().error.code).toBe('CHRONIC_DIAGNOSIS_REQUIRED');
    const anything = await settleChronic(f.plain.idNumber, '2025-03-01', 'anything', 10_000);
    expect(anything.statusCode).toBe(422);
    expect(anything.json().error).toMatchObject({ code: 'CHRONIC_NOT_APPROVED', field: 'visit.diagnosis' });
    const pre = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: hospital, payload: { ...chronicBill(f.plain.idNumber, '2025-03-01', 'I10.X00', 10_000), transactionId: undefined } });
    expect(pre.statusCode).toBe(422);
  });

  it('a station applies for a person of its township; a disease not in the catalogue or a diagnosis outside it is refused', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/chronic/applications', headers: as('station1'), payload: { personId: f.plain.id, diseaseCode: 'LS13', diagnosis: 'I10.X00' } });
    expect(unknown.statusCode).toBe(422); // Lhasa's list does not cover Dege
    expect(unknown.json().error.code).toBe('UNKNOWN_DISEASE');
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/chronic/applications', headers: as('station1'), payload: { personId: f.plain.id, diseaseCode: 'GZ05', diagnosis: 'E11.900' } });
    expect(wrong.json().error.code).toBe('DIAGNOSIS_NOT_OF_DISEASE');
    const badDoc = await app.inject({ method: 'POST', url: '/api/v1/chronic/applications', headers: as('station1'), payload: { personId: f.plain.id, diseaseCode: 'GZ05', diagnosis: 'I10.X00', documents: [{ ...DOC, sha256: 'xyz' }] } });
    expect(badDoc.statusCode).toBe(400);
    const outside = await app.inject({ method: 'POST', url: '/api/v1/chronic/applications', headers: as('station1'), payload: { personId: f.alleviated.id, diseaseCode: 'GZ05', diagnosis: 'I10.X00' } });
    expect(outside.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/chronic/applications', headers: as('station1'), payload: { personId: f.plain.id, diseaseCode: 'GZ05', diagnosis: 'i10.x00' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ channel: 'station', status: 'submitted', diagnosis: 'I10.x00', disease: { code: 'GZ05', region: '513300' } });
    applicationId = ok.json().id;
    const twice = await app.inject({ method: 'POST', url: '/api/v1/chronic/applications', headers: as('station1'), payload: { personId: f.plain.id, diseaseCode: 'GZ05', diagnosis: 'I10.X00' } });
    expect(twice.statusCode).toBe(409);
  });

  it('the bureau reviews: a station may not approve; no approval without a document; approval with a validity period', async () => {
    const station = await app.inject({ method: 'POST', url: `/api/v1/chronic/applications/${applicationId}/decision`, headers: as('station1'), payload: { decision: 'approve', validFrom: '2025-01-01', validTo: '2025-06-30' } });
    expect(station.statusCode).toBe(403);
    const noDoc = await app.inject({ method: 'POST', url: `/api/v1/chronic/applications/${applicationId}/decision`, headers: as('clerk'), payload: { decision: 'approve', validFrom: '2025-01-01', validTo: '2025-06-30' } });
    expect(noDoc.json().error.code).toBe('DOCUMENTS_REQUIRED');
    const doc = await app.inject({ method: 'POST', url: `/api/v1/chronic/applications/${applicationId}/documents`, headers: as('station1'), payload: DOC });
    expect(doc.json().documents).toHaveLength(1);
    const approved = await app.inject({ method: 'POST', url: `/api/v1/chronic/applications/${applicationId}/decision`, headers: as('clerk'), payload: { decision: 'approve', validFrom: '2025-01-01', validTo: '2025-06-30' } });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().approval).toMatchObject({ status: 'active', validFrom: '2025-01-01', validTo: '2025-06-30', disease: { code: 'GZ05', class: 'B' } });
    approvalId = approved.json().approval.id;
    const again = await app.inject({ method: 'POST', url: `/api/v1/chronic/applications/${applicationId}/decision`, headers: as('clerk'), payload: { decision: 'reject', reason: 'x' } });
    expect(again.statusCode).toBe(409);
  });

  it('settles against the approved disease only, at its class, within its yearly limit (3,000 yuan)', async () => {
    const first = await settleChronic(f.plain.idNumber, '2025-03-01', 'I10.X00', 100_000);
    expect(first.statusCode).toBe(201);
    // Class B from the approval (the hospital said A): 80 % of 1,000 yuan.
    expect(first.json().funds.basic).toBe(80_000);
    const other = await settleChronic(f.plain.idNumber, '2025-03-02', 'E11.900', 100_000);
    expect(other.json().error.code).toBe('CHRONIC_NOT_APPROVED');
    const second = await settleChronic(f.plain.idNumber, '2025-03-03', 'I11.000', 400_000);
    expect(second.statusCode).toBe(201);
    expect(second.json().funds.basic).toBe(220_000); // 320,000 due, 220,000 left of the disease's 300,000
    const third = await settleChronic(f.plain.idNumber, '2025-03-04', 'I10.X00', 10_000);
    expect(third.statusCode).toBe(422);
    expect(third.json().error.code).toBe('CHRONIC_LIMIT_REACHED');
    const [acc] = await t.db.query<{ chronic_fund: number }>('SELECT chronic_fund FROM accumulators WHERE person_id = $1 AND year = 2025', [f.plain.id]);
    expect(Number(acc!.chronic_fund)).toBe(300_000);
    // A reversal gives the disease's limit back.
    const reversed = await app.inject({ method: 'POST', url: `/api/v1/settlements/${second.json().transactionId}/reversal`, headers: hospital, payload: { reversalId: 'CH-R-1' } });
    expect(reversed.statusCode).toBe(200);
    const after = await settleChronic(f.plain.idNumber, '2025-03-05', 'I10.X00', 10_000);
    expect(after.statusCode).toBe(201);
    expect(after.json().funds.basic).toBe(8_000);
  });

  it('outside the validity refused; renewal continues it; revocation ends it; every step audited', async () => {
    const july = await settleChronic(f.plain.idNumber, '2025-07-15', 'I10.X00', 10_000);
    expect(july.json().error.code).toBe('CHRONIC_NOT_APPROVED');
    const renewed = await app.inject({ method: 'POST', url: `/api/v1/chronic/approvals/${approvalId}/renewal`, headers: as('clerk'), payload: { validTo: '2025-12-31' } });
    expect(renewed.statusCode).toBe(201);
    expect(renewed.json()).toMatchObject({ validFrom: '2025-07-01', validTo: '2025-12-31', renewedFrom: approvalId });
    expect((await settleChronic(f.plain.idNumber, '2025-07-15', 'I10.X00', 10_000)).statusCode).toBe(201);
    const revoked = await app.inject({ method: 'POST', url: `/api/v1/chronic/approvals/${renewed.json().id}/revocation`, headers: as('clerk'), payload: { reason: '复审不符合' } });
    expect(revoked.json().status).toBe('revoked');
    expect((await settleChronic(f.plain.idNumber, '2025-08-01', 'I10.X00', 10_000)).json().error.code).toBe('CHRONIC_NOT_APPROVED');
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'chronic.%' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['chronic.apply', 'chronic.document', 'chronic.approve', 'chronic.renew', 'chronic.revoke']);
    const list = await app.inject({ method: 'GET', url: `/api/v1/chronic/approvals?personId=${f.plain.id}`, headers: as('auditor') });
    expect(list.json().items.map((a: { status: string }) => a.status)).toEqual(['revoked', 'active']);
  });

  it('a hospital applies for its patient; the bureau rejects with a reason', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/chronic-applications', headers: hospital, payload: { patient: { idNumber: f.poor.idNumber }, diseaseCode: 'GZ06', diagnosis: 'E11.900', documents: [DOC] } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ channel: 'hospital', submittedBy: 'facility:H51333000001' });
    const rejected = await app.inject({ method: 'POST', url: `/api/v1/chronic/applications/${res.json().id}/decision`, headers: as('clerk'), payload: { decision: 'reject', reason: '血糖记录不足' } });
    expect(rejected.json().application).toMatchObject({ status: 'rejected', reason: '血糖记录不足' });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/chronic-applications', headers: hospital, payload: { patient: { idNumber: f.poor.idNumber }, diseaseCode: 'NOPE', diagnosis: 'E11.900' } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('UNKNOWN_DISEASE');
  });

  it('checks the diagnosis against the ICD-10 list once it is loaded', async () => {
    await importShippedCatalogues(t.db, 'test');
    const res = await app.inject({ method: 'POST', url: '/api/v1/chronic-applications', headers: hospital, payload: { patient: { idNumber: f.extreme.idNumber }, diseaseCode: 'GZ05', diagnosis: 'I15.000' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'UNKNOWN_DIAGNOSIS', field: 'diagnosis' });
    const shape = await app.inject({ method: 'POST', url: '/api/v1/chronic-applications', headers: hospital, payload: { patient: { idNumber: f.extreme.idNumber }, diseaseCode: 'GZ05', diagnosis: 'hypertension' } });
    expect(shape.json().error.code).toBe('INVALID_DIAGNOSIS');
    const known = await app.inject({ method: 'POST', url: '/api/v1/chronic-applications', headers: hospital, payload: { patient: { idNumber: f.extreme.idNumber }, diseaseCode: 'GZ05', diagnosis: 'I11.000' } });
    expect(known.statusCode).toBe(201);
  });

  it('lists the diseases open to a person: their region’s catalogue for their scheme', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/chronic/diseases?personId=${f.plain.id}&date=2025-06-01`, headers: as('clerk') });
    expect(res.json().items.map((d: { code: string }) => d.code)).toContain('GZ04');
    expect(res.json().items.every((d: { region: string }) => d.region === '513300')).toBe(true);
  });
});
