/**
 * Issue 17: "no … reversal or filing cancel at the window". A bureau clerk
 * reverses a hospital's settlement and cancels an out-of-area filing from the
 * console; each has a dry run for the confirmation step that writes nothing,
 * takes a reason, is audited, and is refused to roles that may not.
 * A payment's reversal gets the same dry run.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readYearToDate } from '../src/store/repositories/accumulators.ts';
import { insertFiling } from '../src/store/repositories/out-of-area-filings.ts';
import type { TestDb } from './support/db.ts';
import { KEYS, type Fixture } from './support/fixture.ts';
import { hospitalSettle } from './support/hospital.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: ['clerk', 'station1', 'auditor', 'civil'] });
  ({ t, app, f } = testApp);
});
afterAll(() => testApp?.close());

const as = (who: string) => testApp.as(who);
const post = (who: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: as(who), payload: payload as Record<string, unknown> });
const settle = (key: string, transactionId: string, idNumber: string, date: string, total: number, compliant: number): Promise<{ id: number; funds: Record<string, number> }> =>
  hospitalSettle(app, { transactionId, idNumber, date, total, compliant }, key);
const settlementId = async (transactionId: string) =>
  Number((await t.db.query<{ id: number }>('SELECT id FROM settlements WHERE transaction_id = $1', [transactionId]))[0]!.id);
const auditCount = async (action: string) => (await t.db.query(`SELECT 1 FROM audit_log WHERE action = $1`, [action])).length;

describe('a settlement reversed at the window', () => {
  it('previews what the reversal gives back without writing, then reverses with the reason (audited); a retry changes nothing', async () => {
    await settle(KEYS.county, 'W-A', f.plain.idNumber, '2025-02-01', 6_000_000, 5_000_000);
    const b = await settle(KEYS.county, 'W-B', f.plain.idNumber, '2025-03-01', 12_000_000, 10_000_000);
    await settle(KEYS.county, 'W-C', f.plain.idNumber, '2025-04-01', 9_000_000, 8_000_000);
    const id = await settlementId('W-B');
    const ytdBefore = await readYearToDate(t.db, f.plain.id, 2025);
    const auditsBefore = await auditCount('settlement.reverse');

    const preview = await post('clerk', `/api/v1/console/settlements/${id}/reversal`, { reason: '医院重复上传', dryRun: true });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p).toMatchObject({ dryRun: true, settlement: { id, transactionId: 'W-B', status: 'reversed', reversalId: `WINDOW-${id}` }, accountRestored: 0 });
    expect(p.fundsReturned).toEqual(b.funds);
    // The later bill W-C is settled again: it crossed the critical-illness threshold only because of B.
    expect(p.laterBills.map((l: { transactionId: string }) => l.transactionId)).toEqual(['W-C']);
    expect(p.laterBills[0].funds.critical).toBeLessThan(0);
    // Nothing written by the dry run.
    expect((await t.db.query<{ status: string }>('SELECT status FROM settlements WHERE id = $1', [id]))[0]!.status).toBe('settled');
    expect(await readYearToDate(t.db, f.plain.id, 2025)).toEqual(ytdBefore);
    expect(await auditCount('settlement.reverse')).toBe(auditsBefore);

    const done = await post('clerk', `/api/v1/console/settlements/${id}/reversal`, { reason: '医院重复上传' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ ...p, dryRun: false });
    const [audit] = await t.db.query<{ actor: string; detail: { reason: string; reversalId: string } }>(
      `SELECT actor, detail FROM audit_log WHERE action = 'settlement.reverse' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({ actor: 'staff:clerk', detail: { reason: '医院重复上传', reversalId: `WINDOW-${id}` } });
    // The hospital sees its bill reversed; a second click is a retry.
    const hospital = await app.inject({ method: 'GET', url: `/api/v1/settlements?personId=${f.plain.id}&year=2025`, headers: { authorization: `Bearer ${KEYS.county}` } });
    expect(hospital.json().items.find((s: { transactionId: string }) => s.transactionId === 'W-B').status).toBe('reversed');
    const again = await post('clerk', `/api/v1/console/settlements/${id}/reversal`, { reason: '医院重复上传' });
    expect(again.statusCode).toBe(200);
    expect(await auditCount('settlement.reverse')).toBe(auditsBefore + 1);
  });

  it('is refused to roles that may not, without a reason, and for a bill the hospital reversed itself', async () => {
    await settle(KEYS.county, 'W-D', f.poor.idNumber, '2025-05-01', 300_000, 200_000);
    const id = await settlementId('W-D');
    for (const who of ['station1', 'auditor', 'civil']) {
      const res = await post(who, `/api/v1/console/settlements/${id}/reversal`, { reason: '试一试', dryRun: true });
      expect(res.statusCode, who).toBe(403);
    }
    const noReason = await post('clerk', `/api/v1/console/settlements/${id}/reversal`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    expect((await post('clerk', '/api/v1/console/settlements/999999/reversal', { reason: '不存在' })).statusCode).toBe(404);
    await app.inject({ method: 'POST', url: '/api/v1/settlements/W-D/reversal', headers: { authorization: `Bearer ${KEYS.county}` }, payload: { reversalId: 'HIS-R' } });
    const twice = await post('clerk', `/api/v1/console/settlements/${id}/reversal`, { reason: '重复', dryRun: true });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_REVERSED');
  });
});

describe('an out-of-area filing cancelled at the window', () => {
  it('previews, cancels with the reason (audited), and refuses it twice', async () => {
    const made = await post('clerk', `/api/v1/console/persons/${f.extreme.id}/filings`, {
      treatmentPlace: '成都市第一人民医院', reason: 'temporary', validFrom: '2026-12-01', validTo: '2026-12-20', channel: 'window',
    });
    expect(made.statusCode, made.body).toBe(201);
    const url = `/api/v1/console/persons/${f.extreme.id}/filings/${made.json().id}/cancellation`;
    const preview = await post('clerk', url, { reason: '群众不再外出就医', dryRun: true });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, filing: { status: 'active', treatment_place: '成都市第一人民医院' } });
    expect(await auditCount('filing.cancel')).toBe(0);

    const done = await post('clerk', url, { reason: '群众不再外出就医' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ dryRun: false, filing: { status: 'cancelled' } });
    expect(done.json().filing.cancelled_at).toBeTruthy();
    const [audit] = await t.db.query<{ entity_id: string; detail: { filing: number; reason: string } }>(`SELECT entity_id, detail FROM audit_log WHERE action = 'filing.cancel'`);
    expect(audit).toMatchObject({ entity_id: String(f.extreme.id), detail: { filing: made.json().id, reason: '群众不再外出就医' } });
    const listed = await app.inject({ method: 'GET', url: `/api/v1/console/persons/${f.extreme.id}/filings`, headers: as('clerk') });
    expect(listed.json().items[0].status).toBe('cancelled');

    const twice = await post('clerk', url, { reason: '再来一次' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({ code: 'FILING_ALREADY_CANCELLED', field: 'filingId' });
  });

  it('keeps a filing that bills were settled under, and refuses other people’s filings and roles without filing.write', async () => {
    const used = await insertFiling(t.db, {
      personId: f.alleviated.id, insuredDivision: '513330', treatmentPlace: '西藏自治区人民医院', treatmentDivision: '540102', reason: 'referral',
      validFrom: '2025-05-01', validTo: '2025-06-30', channel: 'window', createdBy: 'test',
    });
    await settle(KEYS.lhasa, 'W-OOA', f.alleviated.idNumber, '2025-06-01', 500_000, 400_000);
    const res = await post('clerk', `/api/v1/console/persons/${f.alleviated.id}/filings/${used.id}/cancellation`, { reason: '误办', dryRun: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('FILING_USED');
    expect(res.json().error.message).toMatch(/^1 bill\(s\) were settled under filing \d+: it stays in force until 2025-06-30$/);

    const other = await post('clerk', `/api/v1/console/persons/${f.plain.id}/filings/${used.id}/cancellation`, { reason: '误办' });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('UNKNOWN_FILING');
    const auditor = await post('auditor', `/api/v1/console/persons/${f.alleviated.id}/filings/${used.id}/cancellation`, { reason: '误办', dryRun: true });
    expect(auditor.statusCode).toBe(403);
    expect((await t.db.query<{ status: string }>('SELECT status FROM out_of_area_filings WHERE id = $1', [used.id]))[0]!.status).toBe('active');
  });
});

describe('a payment reversed at the window', () => {
  it('previews the enrollment before and after (nothing written), then reverses', async () => {
    const paid = await post('clerk', '/api/v1/payments', { personId: f.pending.id, year: 2025, amount: 40_000, paidOn: '2024-11-20', method: 'cash' });
    expect(paid.statusCode, paid.body).toBe(201);
    const id = paid.json().payment.id;
    const preview = await post('clerk', `/api/v1/payments/${id}/reversal`, { reason: '收错了人', dryRun: true });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, before: { status: 'enrolled', paid_fen: 40_000 }, enrollment: { status: 'pending', paid_fen: 0 } });
    expect((await t.db.query<{ reversed_at: Date | null }>('SELECT reversed_at FROM payments WHERE id = $1', [id]))[0]!.reversed_at).toBeNull();
    expect(await auditCount('payment.reverse')).toBe(0);
    const done = await post('clerk', `/api/v1/payments/${id}/reversal`, { reason: '收错了人' });
    expect(done.json()).toMatchObject({ enrollment: { status: 'pending', paid_fen: 0 } });
    expect(await auditCount('payment.reverse')).toBe(1);
    expect((await post('auditor', `/api/v1/payments/${id}/reversal`, { reason: '再冲', dryRun: true })).statusCode).toBe(403);
    expect((await post('clerk', `/api/v1/payments/${id}/reversal`, { reason: '再冲', dryRun: true })).json().error.code).toBe('ALREADY_REVERSED');
  });
});

describe('the window operations in the OpenAPI document', () => {
  it('documents request and answer from the routes’ own schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const reversal = doc.paths['/api/v1/console/settlements/{id}/reversal'].post;
    expect(reversal.requestBody.content['application/json'].schema.required).toEqual(['reason']);
    expect(reversal.responses['200'].content['application/json'].schema.properties.fundsReturned.properties.basic.type).toBe('integer');
    const cancel = doc.paths['/api/v1/console/persons/{id}/filings/{filingId}/cancellation'].post;
    expect(cancel.responses['200'].content['application/json'].schema.properties.filing.properties.status.enum).toEqual(['active', 'cancelled']);
    expect(doc.paths['/api/v1/payments/{id}/receipt'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'format', 'lang']);
    expect(doc.paths['/api/v1/me/payments/{id}/receipt'].get.responses['200'].content).toHaveProperty('application/pdf');
  });
});

