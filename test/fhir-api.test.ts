/**
 * FHIR R4 end to end on a real database: each answer is valid against the
 * official R4 JSON schema (ajv), served as application/fhir+json; the money is
 * the hospital API's to the fen; claims are idempotent; every error is an
 * OperationOutcome naming the field; each caller sees only what it may.
 */
import type { FastifyInstance } from 'fastify';
import type { InjectOptions } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { EXTENSION, SYSTEM } from '../src/api/fhir/code-systems.ts';
import { moneyToFen } from '../src/api/fhir/money.ts';
import type { OtpSender } from '../src/service/otp-senders.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { importReferenceCatalogues } from '../src/service/insurance-catalogue-import.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { fhirSchemaErrors } from './support/fhir-schema.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
const tokens: Record<string, string> = {};
const sent: { idNumber: string; code: string }[] = [];
const sender: OtpSender = { send: async (m) => void sent.push({ idNumber: m.idNumber, code: m.code }) };

beforeAll(async () => {
  t = await createTestDb();
  const policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  await importReferenceCatalogues(t.db, 'test');
  app = await buildApp({ db: t.db, policies, logLevel: 'silent', otpSender: sender });
  for (const username of ['clerk', 'civil', 'station1']) {
    tokens[username] = (await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password: DEMO_PASSWORD } })).json().token;
  }
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const FHIR = 'application/fhir+json';
const facility = (key: string = KEYS.county) => ({ authorization: `Bearer ${key}`, 'content-type': FHIR });
const staff = (username: string) => ({ authorization: `Bearer ${tokens[username]}` });

async function resident(idNumber: string): Promise<{ cookie: string }> {
  await app.inject({ method: 'POST', url: '/api/v1/me/code', payload: { idNumber } });
  const code = sent.filter((s) => s.idNumber === idNumber).at(-1)!.code;
  const res = await app.inject({ method: 'POST', url: '/api/v1/me/login', payload: { idNumber, code } });
  return { cookie: String(res.headers['set-cookie']).split(';')[0]! };
}

/** A FHIR interaction: the answer must be R4 and fhir+json, whatever its status. */
async function fhir(options: InjectOptions) {
  const res = await app.inject({ ...options, ...(options.payload !== undefined && typeof options.payload !== 'string' ? { payload: JSON.stringify(options.payload) } : {}) });
  expect(res.headers['content-type']).toContain(FHIR);
  const body = res.json();
  expect(fhirSchemaErrors(body), `${options.method} ${options.url} → ${res.statusCode}`).toEqual([]);
  return { status: res.statusCode, body, headers: res.headers };
}

function claim(idNumber: string, use: 'claim' | 'predetermination', transactionId: string | undefined, total: number, compliant: number, extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Claim',
    status: 'active',
    type: { coding: [{ system: SYSTEM.claimType, code: 'institutional' }] },
    subType: { coding: [{ system: SYSTEM.visitKind, code: 'inpatient' }] },
    use,
    ...(transactionId ? { identifier: [{ system: `${SYSTEM.transaction}/H1`, value: transactionId }] } : {}),
    patient: { identifier: { system: SYSTEM.idNumber, value: idNumber } },
    billablePeriod: { start: '2025-06-01' },
    created: '2025-06-01T10:00:00+08:00',
    provider: { identifier: { system: SYSTEM.facility, value: 'H1' } },
    priority: { coding: [{ system: SYSTEM.processPriority, code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: 'resident' } }],
    total: { value: total, currency: 'CNY' },
    extension: [{ url: EXTENSION.compliant, valueMoney: { value: compliant, currency: 'CNY' } }],
    ...extra,
  };
}

type Totals = { category: { coding: { code: string }[] }; amount: unknown }[];
const totalOf = (body: { total: Totals }, code: string) => moneyToFen(body.total.find((x) => x.category.coding[0]!.code === code)!.amount);
const fundsOf = (body: { total: Totals }) =>
  Object.fromEntries(['basic', 'critical', 'assistance', 'supplementary', 'tilt'].map((fund) => [fund, totalOf(body, fund)]));

describe('public resources', () => {
  it('serves the CapabilityStatement, the CodeSystems and the InsurancePlans without sign-in', async () => {
    const meta = await fhir({ method: 'GET', url: '/fhir/r4/metadata' });
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    const fund = await fhir({ method: 'GET', url: '/fhir/r4/CodeSystem/sanbao-fund' });
    expect(fund.body.url).toBe(SYSTEM.fund);
    expect(fund.body.concept.map((c: { code: string }) => c.code)).toEqual(['basic', 'critical', 'assistance', 'supplementary', 'tilt']);
    const all = await fhir({ method: 'GET', url: '/fhir/r4/CodeSystem' });
    expect(all.body.total).toBeGreaterThanOrEqual(5);
    const plans = await fhir({ method: 'GET', url: '/fhir/r4/InsurancePlan' });
    expect(plans.body.entry.map((e: { resource: { id: string } }) => e.resource.id).sort()).toEqual(['dege-2025', 'haixi-2023', 'lhasa-2024', 'lhasa-2025']);
    const plan = await fhir({ method: 'GET', url: '/fhir/r4/InsurancePlan/lhasa-2025' });
    expect(plan.body.period).toEqual({ start: '2025-01-01', end: '2025-12-31' });
  });

  it('answers an unknown id or route with an OperationOutcome', async () => {
    const none = await fhir({ method: 'GET', url: '/fhir/r4/InsurancePlan/nowhere-2025' });
    expect(none.status).toBe(404);
    expect(none.body.issue[0]).toMatchObject({ code: 'not-found', expression: ['InsurancePlan.id'] });
    const route = await fhir({ method: 'GET', url: '/fhir/r4/Patient/1' });
    expect(route.status).toBe(404);
    expect(route.body.resourceType).toBe('OperationOutcome');
  });
});

describe('hospital side', () => {
  it('answers a CoverageEligibilityRequest: insured, or not enrolled; audited like identify', async () => {
    const request = (idNumber: string) => ({ resourceType: 'CoverageEligibilityRequest', status: 'active', purpose: ['validation'], patient: { identifier: { system: SYSTEM.idNumber, value: idNumber } }, created: '2025-06-01', insurer: { display: '医保局' }, servicedDate: '2025-06-01' });
    const insured = await fhir({ method: 'POST', url: '/fhir/r4/CoverageEligibilityRequest', headers: facility(), payload: request(f.poor.idNumber) });
    expect(insured.status).toBe(200);
    expect(insured.body.insurance[0].inforce).toBe(true);
    expect(insured.body.contained[0]).toMatchObject({ resourceType: 'Coverage', status: 'active' });
    expect(JSON.stringify(insured.body)).not.toContain(f.poor.idNumber);
    const pending = await fhir({ method: 'POST', url: '/fhir/r4/CoverageEligibilityRequest', headers: facility(), payload: request(f.pending.idNumber) });
    expect(pending.body.insurance[0].inforce).toBe(false);
    const [audits] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient.identify'`);
    expect(audits!.n).toBe(2);
    const unknown = await fhir({ method: 'POST', url: '/fhir/r4/CoverageEligibilityRequest', headers: facility(), payload: request('11010519491231002X') });
    expect(unknown.status).toBe(404);
    expect(unknown.body.issue[0].code).toBe('not-found');
  });

  it('pre-settles (predetermination) and settles (claim) to the fen of the hospital API', async () => {
    // dege-2025 level 2 inpatient, minimum_living: as the hospital API settles it.
    const own = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { patient: { idNumber: f.poor.idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total: 11_211_000, compliant: 9_800_000 } },
    });
    expect(own.statusCode).toBe(200);
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements');
    const trial = await fhir({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.poor.idNumber, 'predetermination', undefined, 112_110, 98_000) });
    expect(trial.status).toBe(200);
    expect(trial.body).toMatchObject({ resourceType: 'ClaimResponse', use: 'predetermination', outcome: 'complete' });
    expect(fundsOf(trial.body)).toEqual(own.json().funds);
    expect(totalOf(trial.body, 'self_pay')).toBe(own.json().selfPay);
    expect(await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements')).toEqual(before);

    const settled = await fhir({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.poor.idNumber, 'claim', 'FHIR-1', 112_110, 98_000) });
    expect(settled.status).toBe(201);
    expect(settled.body).toMatchObject({ resourceType: 'ClaimResponse', use: 'claim', status: 'active', identifier: [{ value: 'FHIR-1' }] });
    expect(settled.headers.location).toBe(`/fhir/r4/ClaimResponse/${settled.body.id}`);
    expect(fundsOf(settled.body)).toEqual(own.json().funds);
    const adjudication = settled.body.adjudication as { category: { coding: { system: string; code: string }[] }; amount: unknown }[];
    expect(adjudication.map((a) => [a.category.coding[0]!.system, a.category.coding[0]!.code, moneyToFen(a.amount)])).toEqual(
      Object.entries(own.json().funds).map(([fund, fen]) => [SYSTEM.fund, fund, fen]),
    );
    // The same settlement seen through the hospital API.
    const stored = (await app.inject({ method: 'GET', url: '/api/v1/settlements/FHIR-1', headers: { authorization: `Bearer ${KEYS.county}` } })).json();
    expect(stored.funds).toEqual(own.json().funds);
    expect(stored.total).toBe(11_211_000);

    // Idempotent: the same Claim again answers the same ClaimResponse with 200; a changed one is a conflict.
    const retry = await fhir({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.poor.idNumber, 'claim', 'FHIR-1', 112_110, 98_000) });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(settled.body);
    const changed = await fhir({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.poor.idNumber, 'claim', 'FHIR-1', 112_110, 90_000) });
    expect(changed.status).toBe(409);
    expect(changed.body.issue[0]).toMatchObject({ code: 'conflict', details: { text: 'IDEMPOTENCY_CONFLICT' }, expression: ['Claim.identifier'] });

    const read = await fhir({ method: 'GET', url: `/fhir/r4/ClaimResponse/${settled.body.id}`, headers: facility() });
    expect(read.body).toEqual(settled.body);
    const elsewhere = await fhir({ method: 'GET', url: `/fhir/r4/ClaimResponse/${settled.body.id}`, headers: facility(KEYS.clinic) });
    expect(elsewhere.status).toBe(404);
    const byIdentifier = await fhir({ method: 'GET', url: `/fhir/r4/ClaimResponse?identifier=${encodeURIComponent(`${SYSTEM.transaction}/H1|FHIR-1`)}`, headers: facility() });
    expect(byIdentifier.body.total).toBe(1);
    expect(byIdentifier.body.entry[0].resource).toEqual(settled.body);
    const notHere = await fhir({ method: 'GET', url: '/fhir/r4/ClaimResponse?identifier=FHIR-1', headers: facility(KEYS.clinic) });
    expect(notHere.body.total).toBe(0);
    const malformed = await fhir({ method: 'GET', url: '/fhir/r4/ClaimResponse?identifier=has%20spaces', headers: facility() });
    expect(malformed.status).toBe(400);
    expect(malformed.body.issue[0].expression).toEqual(['ClaimResponse.identifier']);
  });

  it('settles an itemised Claim (item[]) as the hospital API settles the same fee lines', async () => {
    const lines = [
      { code: 'XA10BAE054A001', quantity: 10, unitPrice: 150, date: '2025-06-01' }, // class A
      { code: 'XJ01DDC175B002', quantity: 4, unitPrice: 4_000, date: '2025-06-02' }, // class B, above its ceiling
      { code: 'T000700456', quantity: 5, unitPrice: 2_000, date: '2025-06-01' }, // class C
    ];
    const visit = { kind: 'inpatient', date: '2025-06-01', dischargeDate: '2025-06-03', diagnosis: 'J18.900' };
    const own = await app.inject({
      method: 'POST', url: '/api/v1/pre-settlements', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { patient: { idNumber: f.extreme.idNumber }, visit, lines: lines.map((l) => ({ ...l, amount: l.quantity * l.unitPrice, department: '内科' })) },
    });
    expect(own.statusCode).toBe(200);
    const yuan = (fen: number) => ({ value: Number(`${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`), currency: 'CNY' });
    const items = lines.map((l, i) => ({
      sequence: i + 1, productOrService: { coding: [{ code: l.code }] }, servicedDate: l.date, quantity: { value: l.quantity },
      unitPrice: yuan(l.unitPrice), net: yuan(l.quantity * l.unitPrice), extension: [{ url: EXTENSION.department, valueString: '内科' }],
    }));
    const body = claim(f.extreme.idNumber, 'claim', 'FHIR-ITEMS', 0, 0, {
      billablePeriod: { start: '2025-06-01', end: '2025-06-03' },
      diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: SYSTEM.icd10, code: 'J18.900' }] } }],
      item: items, total: undefined, extension: undefined,
    });
    const settled = await fhir({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: JSON.parse(JSON.stringify(body)) });
    expect(settled.status).toBe(201);
    expect(fundsOf(settled.body)).toEqual(own.json().funds);
    expect(totalOf(settled.body, 'eligible')).toBe(own.json().compliant);
    expect(totalOf(settled.body, 'submitted')).toBe(1_500 + 16_000 + 10_000);
    const badLine = await fhir({
      method: 'POST', url: '/fhir/r4/Claim', headers: facility(),
      payload: JSON.parse(JSON.stringify({ ...body, identifier: [{ value: 'FHIR-ITEMS-2' }], item: [{ ...items[0], productOrService: { coding: [{ code: 'NO-SUCH-CODE' }] } }] })),
    });
    expect(badLine.status).toBe(400);
    expect(badLine.body.issue[0].expression).toEqual(['Claim.item[0].productOrService']);
  });

  it('answers an eligibility request by the e-certificate QR token', async () => {
    const res = await fhir({
      method: 'POST', url: '/fhir/r4/CoverageEligibilityRequest', headers: facility(),
      payload: { resourceType: 'CoverageEligibilityRequest', status: 'active', purpose: ['validation'], patient: { identifier: { system: SYSTEM.qrToken, value: f.plain.qrToken } }, created: '2025-06-01', insurer: { display: '医保局' }, servicedDate: '2025-06-01' },
    });
    expect(res.status).toBe(200);
    expect(res.body.patient.reference).toBe(`Patient/${f.plain.id}`);
    expect(res.body.insurance[0].inforce).toBe(true);
  });

  it('answers a reversed claim as cancelled, and its body again with 409 TRANSACTION_REVERSED', async () => {
    const first = await fhir({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.plain.idNumber, 'claim', 'FHIR-REV', 1_000, 1_000) });
    expect(first.status).toBe(201);
    const reversal = await app.inject({ method: 'POST', url: '/api/v1/settlements/FHIR-REV/reversal', headers: { authorization: `Bearer ${KEYS.county}` }, payload: { reversalId: 'FHIR-REV-R' } });
    expect(reversal.statusCode).toBe(200);
    const read = await fhir({ method: 'GET', url: `/fhir/r4/ClaimResponse/${first.body.id}`, headers: facility() });
    expect(read.body.status).toBe('cancelled');
    expect(read.body.payment).toBeUndefined();
    const again = await fhir({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.plain.idNumber, 'claim', 'FHIR-REV', 1_000, 1_000) });
    expect(again.status).toBe(409);
    expect(again.body.issue[0].details.text).toBe('TRANSACTION_REVERSED');
  });

  const refusals: [string, () => InjectOptions, number, string, string][] = [
    ['no key', () => ({ method: 'POST', url: '/fhir/r4/Claim', headers: { 'content-type': FHIR }, payload: claim(f.plain.idNumber, 'claim', 'FHIR-X1', 10, 10) }), 401, 'login', 'authorization'],
    ['invalid JSON', () => ({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: '{"resourceType": ' }), 400, 'invalid', 'body'],
    ['three decimals', () => ({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.plain.idNumber, 'claim', 'FHIR-X2', 10.005, 10) }), 400, 'invalid', 'Claim.total'],
    ['an unknown person', () => ({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim('11010519491231002X', 'claim', 'FHIR-X3', 10, 10) }), 404, 'not-found', 'Claim.patient'],
    ['a person not enrolled', () => ({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.pending.idNumber, 'claim', 'FHIR-X4', 10, 10) }), 422, 'business-rule', 'Claim.patient'],
    ['a date no policy covers', () => ({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.plain.idNumber, 'predetermination', undefined, 10, 10, { billablePeriod: { start: '2031-06-01' } }) }), 422, 'business-rule', 'Claim.patient'],
    ['a body too large', () => ({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: `{"x": "${'a'.repeat(1_100_000)}"}` }), 413, 'too-costly', 'body'],
    ['XML', () => ({ method: 'POST', url: '/fhir/r4/Claim', headers: { ...facility(), 'content-type': 'application/fhir+xml' }, payload: '<Claim/>' }), 415, 'invalid', 'content-type'],
  ];
  for (const [name, request, status, code, field] of refusals) {
    it(`refuses ${name}: ${status}, an OperationOutcome naming ${field}, nothing written`, async () => {
      const [before] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements');
      const res = await fhir(request());
      expect(res.status).toBe(status);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].code).toBe(code);
      expect(res.body.issue[0].expression).toEqual([field]);
      expect(res.body.issue[0].diagnostics).toContain(field);
      const [after] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlements');
      expect(after).toEqual(before);
    });
  }
});

describe('residents and staff', () => {
  it('lets a resident read their own Coverage and ExplanationOfBenefit, nobody else\'s', async () => {
    const me = await resident(f.poor.idNumber);
    const coverage = await fhir({ method: 'GET', url: `/fhir/r4/Coverage/${f.poor.id}-2025`, headers: me });
    expect(coverage.status).toBe(200);
    expect(coverage.body).toMatchObject({ resourceType: 'Coverage', id: `${f.poor.id}-2025`, status: 'active' });
    const mine = await fhir({ method: 'GET', url: '/fhir/r4/ExplanationOfBenefit', headers: me });
    expect(mine.body.type).toBe('searchset');
    const eobs = mine.body.entry.map((e: { resource: { identifier: { value: string }[] } }) => e.resource.identifier[0]!.value);
    expect(eobs).toContain('FHIR-1');
    const eob = mine.body.entry.find((e: { resource: { identifier: { value: string }[] } }) => e.resource.identifier[0]!.value === 'FHIR-1').resource;
    expect(totalOf(eob, 'submitted')).toBe(11_211_000);
    expect(eob.insurance[0].coverage.reference).toBe(`Coverage/${f.poor.id}-2025`);
    const other = await fhir({ method: 'GET', url: `/fhir/r4/Coverage/${f.plain.id}-2025`, headers: me });
    expect(other.status).toBe(403);
    const othersEob = await fhir({ method: 'GET', url: `/fhir/r4/ExplanationOfBenefit?patient=Patient/${f.plain.id}`, headers: me });
    expect(othersEob.status).toBe(403);
    const plainBill = (await app.inject({ method: 'GET', url: '/api/v1/settlements/FHIR-REV', headers: { authorization: `Bearer ${KEYS.county}` } })).json();
    const hidden = await fhir({ method: 'GET', url: `/fhir/r4/ExplanationOfBenefit/${plainBill.id}`, headers: me });
    expect(hidden.status).toBe(404);
  });

  it('explains a corrected bill as it stands: the corrected amounts, every share consistent', async () => {
    const first = await fhir({ method: 'POST', url: '/fhir/r4/Claim', headers: facility(), payload: claim(f.extreme.idNumber, 'claim', 'FHIR-CORR', 50, 50) });
    expect(first.status).toBe(201);
    const correction = await app.inject({
      method: 'POST', url: '/api/v1/settlements/FHIR-CORR/correction', headers: { authorization: `Bearer ${KEYS.county}` },
      payload: { correctionId: 'FHIR-CORR-1', amounts: { total: 8_000, compliant: 6_000 } },
    });
    expect(correction.statusCode).toBe(201);
    const me = await resident(f.extreme.idNumber);
    const eob = await fhir({ method: 'GET', url: `/fhir/r4/ExplanationOfBenefit/${first.body.id}`, headers: me });
    expect(eob.status).toBe(200);
    expect(eob.body.disposition).toContain('adjusted');
    expect(totalOf(eob.body, 'submitted')).toBe(8_000);
    expect(totalOf(eob.body, 'eligible')).toBe(6_000);
    expect(totalOf(eob.body, 'self_pay_excluded')).toBe(2_000);
    expect(totalOf(eob.body, 'benefit') + totalOf(eob.body, 'self_pay')).toBe(8_000);
    expect(totalOf(eob.body, 'self_pay_compliant') + totalOf(eob.body, 'self_pay_excluded')).toBe(totalOf(eob.body, 'self_pay'));
    const effective = (await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${f.extreme.id}&year=2025`, headers: { authorization: `Bearer ${KEYS.county}` } }))
      .json().items.find((i: { transactionId: string }) => i.transactionId === 'FHIR-CORR');
    expect(fundsOf(eob.body)).toEqual(effective.effective.funds);
  });

  it('lets bureau staff read coverage and claims within their area and permission', async () => {
    const coverage = await fhir({ method: 'GET', url: `/fhir/r4/Coverage?beneficiary=Patient/${f.poor.id}`, headers: staff('clerk') });
    expect(coverage.status).toBe(200);
    expect(coverage.body.entry[0].resource.id).toBe(`${f.poor.id}-2025`);
    const eob = await fhir({ method: 'GET', url: `/fhir/r4/ExplanationOfBenefit?patient=Patient/${f.extreme.id}`, headers: staff('clerk') });
    expect(eob.body.total).toBe(2);
    const paged = await fhir({ method: 'GET', url: `/fhir/r4/ExplanationOfBenefit?patient=Patient/${f.extreme.id}&_count=1`, headers: staff('clerk') });
    expect(paged.body).toMatchObject({ total: 2, link: [{ relation: 'next' }] });
    expect(paged.body.entry).toHaveLength(1);
    const next = new URL(paged.body.link[0].url);
    const last = await fhir({ method: 'GET', url: `${next.pathname}${next.search}`, headers: staff('clerk') });
    expect(last.body.entry).toHaveLength(1);
    expect(last.body.link).toBeUndefined();
    expect(last.body.entry[0].resource.id).not.toBe(paged.body.entry[0].resource.id);
    const liaison = await fhir({ method: 'GET', url: `/fhir/r4/Coverage/${f.poor.id}-2025`, headers: staff('civil') });
    expect(liaison.status).toBe(403);
    expect(liaison.body.issue[0].code).toBe('forbidden');
    const nobody = await fhir({ method: 'GET', url: `/fhir/r4/Coverage/${f.poor.id}-2025` });
    expect(nobody.status).toBe(401);
    const bad = await fhir({ method: 'GET', url: '/fhir/r4/Coverage/abc', headers: staff('clerk') });
    expect(bad.status).toBe(400);
    expect(bad.body.issue[0].expression).toEqual(['Coverage.id']);
  });
});
