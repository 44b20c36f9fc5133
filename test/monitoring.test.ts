/**
 * Monitoring end to end on a real database: real-time alerts with their case
 * and pushes in the settlement's transaction, the monthly run, routing, the
 * statistics, case follow-up with liaisons scoped to their department, the
 * Dege household assessment, assistance on application and 一事一议.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { monitorCommand } from '../src/cli/monitor-command.ts';
import { loadDemoStaff } from '../src/demo/staff.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import type { PolicyRegistry } from '../src/domain/policy/registry.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { raiseAlert } from '../src/store/repositories/alerts.ts';
import { insertPerson } from '../src/store/repositories/persons.ts';
import { memoryIo } from './support/cli.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { seedFixture, type Fixture } from './support/fixture.ts';
import { backdate, settleBill, staffToken } from './support/monitoring.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let policies: PolicyRegistry;
const h: Record<string, { authorization: string }> = {};

beforeAll(async () => {
  t = await createTestDb();
  policies = loadFixturePolicies();
  f = await seedFixture(t.db, policies);
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  for (const u of ['admin', 'clerk', 'civil', 'rural', 'station1']) h[u] = await staffToken(app, u);
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

let raw = 0;
/** A settlement written straight to the tables (as a batch import would), which real time never saw. */
async function rawSettlement(personId: number, o: { spc: number; spe: number; at: string; reversedAt?: string }) {
  raw += 1;
  const [v] = await t.db.query<{ id: number }>(
    `INSERT INTO visits (person_id, facility_id, kind, level, visit_date) VALUES ($1, $2, 'inpatient', 2, $3::timestamptz::date) RETURNING id`,
    [personId, f.facilities.county, o.at],
  );
  const selfPay = o.spc + o.spe;
  await t.db.query(
    `INSERT INTO settlements (facility_id, transaction_id, request_hash, visit_id, person_id, year, policy_id, total_fen, compliant_fen,
       funds_fen, self_pay_compliant, self_pay_excluded, self_pay, steps, ytd_delta, status, reversal_id, reversed_at, settled_at)
     VALUES ($1, $2, 'raw', $3, $4, 2025, 'dege-2025', $5, $6, 0, $7, $8, $5, '[]', '{}', $9, $10, $11, $12)`,
    [f.facilities.county, `raw-${raw}`, v!.id, personId, selfPay, o.spc, o.spc, o.spe, o.reversedAt ? 'reversed' : 'settled',
      o.reversedAt ? `rev-${raw}` : null, o.reversedAt ?? null, o.at],
  );
  // The year-to-date as the settle path keeps it (a reversal takes its bill's part out again): incremental runs start from it.
  await t.db.query('INSERT INTO accumulators (person_id, year) VALUES ($1, 2025) ON CONFLICT DO NOTHING', [personId]);
  if (!o.reversedAt) await t.db.query('UPDATE accumulators SET self_pay = self_pay + $2 WHERE person_id = $1 AND year = 2025', [personId, selfPay]);
}

/** A liaison takes its department's list, then says it has it: the explicit step that moves the cases to pushed. */
async function takeList(department: string, who: string) {
  const list = await app.inject({ method: 'GET', url: `/api/v1/monitoring/outbox/${department}/list.csv`, headers: h[who] });
  const upTo = Number(list.headers['x-sanbao-list-up-to']);
  const marked = await app.inject({ method: 'POST', url: `/api/v1/monitoring/outbox/${department}/delivered`, headers: h[who], payload: { upTo } });
  if (marked.statusCode !== 200) throw new Error(`mark delivered: ${marked.body}`);
  return list;
}

const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(sql, params))[0]!.n;
const caseOf = async (personId: number) => (await t.db.query<{ id: number; status: string }>('SELECT id, status FROM monitoring_cases WHERE person_id = $1 ORDER BY id', [personId]))[0]!;

describe('the API document', () => {
  it('lists the monitoring endpoints with their request schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/monitoring/cases', '/api/v1/monitoring/cases/{id}/determination', '/api/v1/monitoring/outbox/{department}/list.csv', '/api/v1/monitoring/endpoints/{department}']));
    expect(JSON.stringify(doc.paths['/api/v1/monitoring/cases/{id}/determination'].post.requestBody)).toContain('not_needed');
  });
});

describe('real time', () => {
  it('raises one alert with its case and pushes in the settlement transaction, once', async () => {
    const first = await settleBill(app, f.plain.idNumber, 5_000_000, 1_000_000);
    expect(first.alerts).toHaveLength(1);
    await settleBill(app, f.plain.idNumber, 100_000, 50_000, '2025-06-02');
    expect(await count('SELECT count(*)::int AS n FROM alerts WHERE person_id = $1', [f.plain.id])).toBe(1);
    const cases = await t.db.query<{ id: number; status: string; risk: string; departments: string[]; alert_id: number }>(
      'SELECT id, status, risk, departments, alert_id FROM monitoring_cases WHERE person_id = $1', [f.plain.id]);
    expect(cases).toEqual([expect.objectContaining({ status: 'raised', risk: 'becoming_poor', departments: ['civil_affairs', 'county_bureau'] })]);
    const pushes = await t.db.query<{ dedupe_key: string; status: string; payload: Record<string, any> }>(
      'SELECT dedupe_key, status, payload FROM outbox WHERE case_id = $1 ORDER BY id', [cases[0]!.id]);
    expect(pushes.map((p) => p.dedupe_key)).toEqual([`sanbao-alert-${cases[0]!.alert_id}-civil_affairs`, `sanbao-alert-${cases[0]!.alert_id}-county_bureau`]);
    expect(pushes[0]!.payload).toMatchObject({ dedupeKey: pushes[0]!.dedupe_key, risk: 'becoming_poor', person: { idNumber: f.plain.idNumber }, threshold: { id: 'region_income', amountFen: 3_400_000 } });
    expect(await count('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND action = $2', [cases[0]!.id, 'raised'])).toBe(1);
    await backdate(t.db, f.plain.id, '2025-06-02T10:00:00+08:00');
  });

  it('routes a poverty-alleviated person (因病返贫) to rural revitalization on the lower threshold', async () => {
    const res = await settleBill(app, f.alleviated.idNumber, 1_500_000, 300_000);
    expect(res.alerts).toEqual([expect.objectContaining({ threshold: 'alleviated_half_rural', risk: 'falling_back', departments: ['rural_revitalization', 'county_bureau'] })]);
    expect(await count(`SELECT count(*)::int AS n FROM outbox o JOIN monitoring_cases c ON c.id = o.case_id WHERE c.person_id = $1`, [f.alleviated.id])).toBe(2);
    await backdate(t.db, f.alleviated.id, '2025-06-03T10:00:00+08:00');
  });
});

describe('the monthly run', () => {
  it('raises what real time missed, up to the end of the month, once', async () => {
    await rawSettlement(f.extreme.id, { spc: 1_000_000, spe: 2_500_000, at: '2025-06-10T09:00:00+08:00' });
    await rawSettlement(f.poor.id, { spc: 1_000_000, spe: 2_000_000, at: '2025-06-11T09:00:00+08:00' });
    await rawSettlement(f.poor.id, { spc: 0, spe: 1_000_000, at: '2025-06-12T09:00:00+08:00', reversedAt: '2025-06-20T09:00:00+08:00' });
    await rawSettlement(f.poor.id, { spc: 500_000, spe: 0, at: '2025-07-01T09:00:00+08:00' }); // July in Beijing time

    const res = await app.inject({ method: 'POST', url: '/api/v1/monitoring/runs', headers: h.admin, payload: { month: '2025-06' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      month: '2025-06', persons: 4, raisedByRun: 1, casesOpened: 1, monitored: 3, newInMonth: 3, confirmed: 0,
      byRisk: { becoming_poor: 2, falling_back: 1 },
      pushed: { civil_affairs: 2, county_bureau: 3, rural_revitalization: 1 },
    });
    const [alert] = await t.db.query<{ source: string; run_month: string; yearly_self_pay: number; departments: string[] }>(
      'SELECT source, run_month, yearly_self_pay, departments FROM alerts WHERE person_id = $1', [f.extreme.id]);
    expect(alert).toEqual({ source: 'monthly', run_month: '2025-06', yearly_self_pay: 3_500_000, departments: ['civil_affairs', 'county_bureau'] });
    expect(await count('SELECT count(*)::int AS n FROM alerts WHERE person_id = $1', [f.poor.id])).toBe(0);

    const again = await app.inject({ method: 'POST', url: '/api/v1/monitoring/runs', headers: h.admin, payload: { month: '2025-06' } });
    expect(again.json()).toMatchObject({ raisedByRun: 0, casesOpened: 0, monitored: 3 });
    expect((await app.inject({ method: 'POST', url: '/api/v1/monitoring/runs', headers: h.clerk, payload: { month: '2025-06' } })).statusCode).toBe(403);
  });

  it('runs from the CLI, counting July', async () => {
    const { io, out } = memoryIo();
    expect(await monitorCommand(io, ['run', '--month', '2025-07'], undefined, { db: t.db, policies })).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ month: '2025-07', raisedByRun: 1, monitored: 4 });
    expect(await monitorCommand(io, ['status', '--json'], undefined, { db: t.db, policies })).toBe(0);
    expect(JSON.parse(out[1]!).runs.map((r: { month: string }) => r.month)).toEqual(['2025-07', '2025-06']);
    await expect(monitorCommand(io, ['run', '--month', 'June'], undefined, { db: t.db, policies })).rejects.toThrow('not a month');
  });

  it('serves the stored statistics', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/monitoring/statistics?month=2025-06', headers: h.clerk });
    expect(res.json()).toMatchObject({ month: '2025-06', monitored: 3, actor: 'staff:admin' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/monitoring/statistics?month=2024-01', headers: h.clerk })).json().error.code).toBe('NO_RUN');
  });
});

describe('case follow-up', () => {
  it('refuses moves out of order with 409 and a code', async () => {
    const c = await caseOf(f.plain.id);
    const res = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/verification`, headers: h.clerk, payload: { note: 'visited' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INVALID_TRANSITION');
  });

  it('scopes a liaison to its department and a station to its delegation', async () => {
    const plainCase = await caseOf(f.plain.id);
    expect((await app.inject({ method: 'GET', url: `/api/v1/monitoring/cases/${plainCase.id}`, headers: h.rural })).statusCode).toBe(404);
    const list = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases', headers: h.rural })).json();
    expect(list.items.map((i: { person: { id: number } }) => i.person.id)).toEqual([f.alleviated.id]);
    expect(list.items[0].person.idNumber).toMatch(/^513330\*+\d{3}[\dX]$/);
    expect(list.items[0].person.name).toMatch(/^测\*+$/);
    expect((await app.inject({ method: 'GET', url: '/api/v1/monitoring/outbox/civil_affairs/list.csv', headers: h.rural })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases', headers: h.station1 })).statusCode).toBe(403);
    const filtered = (await app.inject({ method: 'GET', url: '/api/v1/monitoring/alerts?source=monthly&year=2025', headers: h.clerk })).json();
    expect(filtered.items.map((i: { person: { id: number } }) => i.person.id).sort()).toEqual([f.extreme.id, f.poor.id].sort());
    expect((await app.inject({ method: 'GET', url: '/api/v1/monitoring/cases?division=540102', headers: h.clerk })).json().error.code).toBe('OUTSIDE_DIVISION');
  });

  it('takes a case from raised to closed, recording who did what', async () => {
    const c = await caseOf(f.plain.id);
    const csv = await takeList('civil_affairs', 'civil');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(f.plain.idNumber);
    expect(csv.body.trim().split('\r\n')).toHaveLength(1 + 3); // plain, extreme, poor
    expect((await app.inject({ method: 'GET', url: '/api/v1/monitoring/outbox/civil_affairs/list.csv', headers: h.civil })).body.trim().split('\r\n')).toHaveLength(1);
    expect((await caseOf(f.plain.id)).status).toBe('pushed');

    const post = (path: string, who: string, payload: unknown) => app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/${path}`, headers: h[who], payload: payload as object });
    expect((await post('verification', 'civil', { note: '入户核实', visitedOn: '2025-06-31' })).statusCode).toBe(400);
    expect((await post('verification', 'civil', { note: '入户核实: 住院费用属实', visitedOn: '2025-06-20' })).json().status).toBe('verified');
    expect((await post('determination', 'civil', { kind: 'not_needed', reason: 'income_above_line' })).json().error.code).toBe('NO_MONITORING_LINE');
    expect((await app.inject({ method: 'PUT', url: '/api/v1/monitoring/lines/513330/2025', headers: h.clerk, payload: { monitoringLine: 780_000 } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/monitoring/lines/513330/2025', headers: h.admin, payload: { monitoringLine: 780_000 } })).statusCode).toBe(200);
    const refused = await post('determination', 'civil', { kind: 'not_needed', reason: 'income_above_line' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('BELOW_MONITORING_LINE');
    expect((await post('determination', 'civil', { kind: 'temporary_assistance', amount: 12.5 })).statusCode).toBe(400);
    const determined = (await post('determination', 'civil', { kind: 'temporary_assistance', amount: 500_000, note: '临时救助 5000 元' })).json();
    expect(determined.determination).toMatchObject({ kind: 'temporary_assistance', department: 'civil_affairs', confirmed: true, detail: { amount: 500_000 } });
    expect((await post('closure', 'civil', { note: 'done' })).statusCode).toBe(403);
    const closed = (await post('closure', 'clerk', { note: '救助到位, 结案' })).json();
    expect(closed.status).toBe('closed');
    const again = await post('closure', 'clerk', { note: 'again' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'CASE_CLOSED']);
    expect(closed.history.map((e: { action: string; actor: string }) => `${e.action} by ${e.actor}`)).toEqual([
      'raised by system', 'pushed by staff:civil', 'verified by staff:civil', 'determined by staff:civil', 'closed by staff:clerk',
    ]);
    expect(closed.pushes.find((p: { department: string }) => p.department === 'civil_affairs')).toMatchObject({ status: 'delivered', channel: 'download' });
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'case.determine' AND entity_id = $1`, [String(c.id)])).toBe(1);
    const [entry] = await t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'case.determine' AND entity_id = $1`, [String(c.id)]);
    expect(entry!.detail).toMatchObject({ kind: 'temporary_assistance', personId: f.plain.id, amount: 500_000 });
    expect(entry!.detail).not.toHaveProperty('note');
  });

  it('closes a Dege household as not needed: (84,500 − 47,900) ÷ 3 = 12,200 yuan a head, above the line', async () => {
    const [household] = await t.db.query<{ id: number }>(`INSERT INTO households (code, division_code, income_fen) VALUES ('H-DEGE', '513330001001', 8450000) RETURNING id`);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await insertPerson(t.db, { idNumber: makeIdNumber('513330', `1990-0${i + 1}-01`, 500 + i, 'F'), name: `尼玛${i}`, sex: 'F', birthDate: `1990-0${i + 1}-01`, divisionCode: '513330001001', householdId: household!.id, qrToken: `qr_dege_${i}_xyz` }));
    }
    await t.db.query('INSERT INTO accumulators (person_id, year, self_pay) VALUES ($1, 2025, 4790000)', [ids[0]]);
    await t.db.transaction((tx) => raiseAlert(tx, { personId: ids[0]!, year: 2025, settlementId: null, source: 'realtime', alert: { threshold: 'region_income', label: 'x', amount: 3_400_000, yearlySelfPay: 4_790_000, risk: 'becoming_poor', departments: ['civil_affairs', 'county_bureau'] } }));
    const c = await caseOf(ids[0]!);
    await takeList('civil_affairs', 'civil');
    await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/verification`, headers: h.civil, payload: { note: '入户' } });
    const assessment = (await app.inject({ method: 'GET', url: `/api/v1/monitoring/cases/${c.id}/assessment`, headers: h.civil })).json();
    expect(assessment).toMatchObject({ income: 8_450_000, selfPay: 4_790_000, members: 3, perCapitaNet: 1_220_000, monitoringLine: 780_000, aboveLine: true, householdCode: 'H-DEGE' });
    const res = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/determination`, headers: h.civil, payload: { kind: 'not_needed', reason: 'income_above_line', note: '三保障稳固, 收入可持续' } });
    expect(res.json().determination).toMatchObject({ kind: 'not_needed', confirmed: false, detail: { assessment: { perCapitaNet: 1_220_000 } } });
  });
});

describe('assistance on application', () => {
  it('pays on past compliant self-pay within the cap, then only through a recorded 一事一议 approval', async () => {
    const c = await caseOf(f.poor.id);
    const apply = (who: string, payload: object = {}) => app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/assistance-applications`, headers: h[who], payload });
    expect((await apply('admin')).statusCode).toBe(409); // not verified yet
    await takeList('civil_affairs', 'civil');
    await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/verification`, headers: h.civil, payload: { note: '核实' } });
    expect((await apply('civil')).statusCode).toBe(403);
    // 149,000 yuan of the 150,000 ordinary cap already paid this year: 1,000 yuan left.
    await t.db.query('INSERT INTO accumulators (person_id, year, assistance) VALUES ($1, 2025, 14900000) ON CONFLICT (person_id, year) DO UPDATE SET assistance = 14900000', [f.poor.id]);
    const res = await apply('admin');
    expect(res.statusCode).toBe(201);
    // minimum_living 80 % of 10,000 + 5,000 yuan compliant self-pay (the reversed bill excluded) = 12,000 yuan due.
    expect(res.json()).toMatchObject({ identity: 'minimum_living', ratio_bp: 8000, base_fen: 1_500_000, due_fen: 1_200_000, paid_fen: 100_000, above_cap_fen: 1_100_000, approved_by: 'staff:admin' });
    const [acc] = await t.db.query<{ assistance: number }>('SELECT assistance FROM accumulators WHERE person_id = $1 AND year = 2025', [f.poor.id]);
    expect(acc!.assistance).toBe(15_000_000);
    expect((await apply('admin')).json().error.code).toBe('NOTHING_TO_PAY');

    const appId = res.json().id;
    const exception = (payload: object) => app.inject({ method: 'POST', url: `/api/v1/monitoring/assistance-applications/${appId}/exceptions`, headers: h.admin, payload });
    expect((await exception({ amount: 1_100_001, reason: '重大疾病, 家庭无力承担' })).json().error.code).toBe('ABOVE_WITHHELD');
    expect((await exception({ amount: 1_000_000, reason: 'x' })).statusCode).toBe(400);
    const approved = await exception({ amount: 1_000_000, reason: '一事一议: 重大疾病, 家庭无力承担' });
    expect(approved.statusCode).toBe(201);
    expect(approved.json()).toMatchObject({ exceptionsTotal: 1_000_000 });
    const [ex] = await t.db.query<{ approved_by: string; reason: string }>('SELECT approved_by, reason FROM assistance_exceptions WHERE application_id = $1', [appId]);
    expect(ex).toEqual({ approved_by: 'staff:admin', reason: '一事一议: 重大疾病, 家庭无力承担' });

    const determined = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/determination`, headers: h.civil, payload: { kind: 'assistance_on_application', applicationId: appId } });
    expect(determined.json().determination.detail).toMatchObject({ amount: 1_100_000, withinCaps: 100_000, exceptions: 1_000_000 });
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('assistance.approve', 'assistance.exception')`)).toBe(2);
    const stats = (await app.inject({ method: 'POST', url: '/api/v1/monitoring/runs', headers: h.admin, payload: { month: '2025-07' } })).json();
    // plain (temporary assistance) and poor (assistance on application); the Dege alert is dated today, after July 2025.
    expect(stats).toMatchObject({ confirmed: 2, determined: 2, monitored: 4 });
  });

  it('pays on a real settlement what the ratio would have paid after basic and critical illness', async () => {
    const c = await caseOf(f.alleviated.id);
    await takeList('rural_revitalization', 'rural');
    await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/verification`, headers: h.rural, payload: { note: '入户核实' } });
    const res = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/assistance-applications`, headers: h.admin, payload: { identity: 'monitored' } });
    // Bill: 15,000 yuan, 3,000 compliant, level 2: basic (3,000 − 300) × 85 % = 2,295; no critical (below 10,000);
    // base 705 yuan, monitored 70 % → 493.50 yuan.
    expect(res.json()).toMatchObject({ identity: 'monitored', ratio_bp: 7000, base_fen: 70_500, due_fen: 49_350, paid_fen: 49_350, above_cap_fen: 0 });
    const determined = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/determination`, headers: h.rural, payload: { kind: 'assistance_on_application', applicationId: res.json().id } });
    expect(determined.json().determination).toMatchObject({ department: 'rural_revitalization', detail: { amount: 49_350 } });
  });

  it('includes a person as minimum_living through a determination, with the identity recorded', async () => {
    const c = await caseOf(f.extreme.id);
    await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/verification`, headers: h.civil, payload: { note: '核实' } });
    const res = await app.inject({ method: 'POST', url: `/api/v1/monitoring/cases/${c.id}/determination`, headers: h.civil, payload: { kind: 'included', identity: 'minimum_living' } });
    expect(res.json().determination).toMatchObject({ kind: 'included', detail: { identity: 'minimum_living' } });
    const [identity] = await t.db.query<{ department: string; source: string }>(`SELECT department, source FROM identities WHERE person_id = $1 AND identity = 'minimum_living'`, [f.extreme.id]);
    expect(identity).toEqual({ department: 'civil_affairs', source: `case:${c.id}` });
    const [entry] = await t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'case.determine' AND entity_id = $1`, [String(c.id)]);
    expect(entry!.detail).toMatchObject({ kind: 'included', personId: f.extreme.id, identity: 'minimum_living', identityId: expect.any(Number) });
  });
});
