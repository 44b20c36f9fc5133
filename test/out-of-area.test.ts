/**
 * Issue 13: out-of-area treatment both ways — as insured place (our people
 * treated elsewhere) and as treatment place (other regions' people treated in
 * our hospitals), from Sanbao's own settlements and the imported clearing
 * list (checked row by row, refused whole with each bad row named); and the
 * filing reasons with their validity rules (work elsewhere: employees only).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { outOfAreaCommand } from '../src/cli/out-of-area-command.ts';
import { beijingToday } from '../src/api/routes/monitoring.ts';
import { loadDemoStaff } from '../src/demo/staff.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLhasaClerk, seedAccountFixture, type AccountFixture } from './support/account-fixture.ts';
import { memoryIo, runCommand } from './support/cli.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture, type Fixture } from './support/fixture.ts';
import { staffToken } from './support/monitoring.ts';
import { loadFixturePolicies } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let f: Fixture;
let a: AccountFixture;
let lhasaClerk: { authorization: string };
let degeClerk: { authorization: string };
const policies = loadFixturePolicies();

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db, policies);
  a = await seedAccountFixture(t.db);
  await loadDemoStaff(t.db);
  await createLhasaClerk(t.db);
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
  lhasaClerk = await staffToken(app, 'lhasa_clerk');
  degeClerk = await staffToken(app, 'clerk');
  // A Dege resident treated in Lhasa (filed: a referral covers the stay), another not filed; a Lhasa resident treated in Dege.
  await t.db.query(
    `INSERT INTO out_of_area_filings (person_id, insured_division, treatment_place, reason, valid_from, valid_to, channel, created_by)
     VALUES ($1, '513330001001', '拉萨市', 'referral', '2025-05-01', '2025-09-30', 'window', 'test')`,
    [f.poor.id],
  );
  const settle = async (key: string, id: string, idNumber: string, total: number, compliant: number) => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/settlements', headers: { authorization: `Bearer ${key}` },
      payload: { transactionId: id, patient: { idNumber }, visit: { kind: 'inpatient', date: '2025-06-01' }, amounts: { total, compliant } },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
  };
  await settle(KEYS.lhasa, 'OOA-1', f.poor.idNumber, 300_000, 250_000);
  await settle(KEYS.lhasa, 'OOA-2', f.plain.idNumber, 100_000, 80_000);
  await settle(KEYS.county, 'OOA-3', a.spouse.idNumber, 50_000, 40_000);
  await settle(KEYS.county, 'OOA-4', f.extreme.idNumber, 20_000, 20_000); // at home: not out of area
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const HEADER = 'setl_id,insuplc_admdvs,mdtrtarea_admvs,fixmedins_name,certno,med_type,setl_time,medfee_sumamt,fund_pay_sumamt,acct_pay';
const other = makeIdNumber('110101', '1970-01-01', 21, 'M');
const good = () => [
  `CL-1,540100,510100,四川大学华西医院,${a.head.idNumber},21,2025-03-02,12000.50,9000,500`,
  `CL-2,540100,500100,重庆医科大学附属第一医院,${a.father.idNumber},11,2025-04-05,300,150.25,`,
  `CL-3,110100,540100,西藏自治区人民医院,${other},住院,2025-07-08 10:30:00,8800,6000,0`,
];
const importList = (rows: string[], extra: Record<string, unknown> = {}, fileName = 'clearing-2025.csv') =>
  app.inject({ method: 'POST', url: '/api/v1/console/clearing-imports', headers: lhasaClerk, payload: { fileName, contentBase64: b64([HEADER, ...rows].join('\n')), ...extra } });
const rowsIn = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM clearing_settlements'))[0]!.n;

describe('the clearing list', () => {
  it('refuses a list with bad rows whole, naming each row and field, writing nothing', async () => {
    const res = await importList([
      ...good(),
      `CL-4,540100,540100,本地医院,${a.head.idNumber},21,2025-03-02,100,50,0`,
      `CL-5,510100,500100,别处医院,${other},21,2025-03-02,100,50,0`,
      `CL-6,540100,510100,华西,${a.head.idNumber},21,2025-03-02,100,150,0`,
      `CL-1,540100,510100,华西,${a.head.idNumber},21,2025-03-02,100,50,0`,
      `CL-7,540100,510100,华西,${other},21,2025-03-02,100,50,0`,
      `CL-8,540100,510100,华西,${a.head.idNumber},21,2025-03-02,100.123,50,0`,
      `CL-9,540100,510100,华西,${a.head.idNumber},21,2025-02-30,100,50,0`,
      `CL-10,540100,510100,华西,540102198003045012,21,2025-03-02,100,50,0`,
      `CL-11,540100,510100,华西,${a.head.idNumber},99,2025-03-02,100,50,0`,
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'CLEARING_REJECTED', field: 'file' });
    const problems = res.json().problems as { row: number; field: string }[];
    expect(problems.map((p) => [p.row, p.field])).toEqual([
      [5, 'treatment_region'], [6, 'insured_region'], [7, 'fund'], [8, 'serial'], [9, 'id_number'], [10, 'total'], [11, 'date'], [12, 'id_number'], [13, 'visit_kind'],
    ]);
    expect(await rowsIn()).toBe(0);
  });

  it('refuses a file without the needed columns, and one that is not CSV or XLSX', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/clearing-imports', headers: lhasaClerk, payload: { fileName: 'x.csv', contentBase64: b64('a,b\n1,2') } });
    expect(res.json().error).toMatchObject({ code: 'INVALID_CLEARING_LIST', field: 'file' });
    const pdf = await importList(good(), {}, 'x.pdf');
    expect(pdf.json().error.code).toBe('UNKNOWN_FORMAT');
    expect(await rowsIn()).toBe(0);
  });

  it('imports the good rows with --skip-bad-rows, and the same file twice once', async () => {
    const rows = [...good(), `CL-5,510100,500100,别处医院,${other},21,2025-03-02,100,50,0`];
    const res = await importList(rows, { skipBadRows: true });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ imported: 3, outbound: 2, inbound: 1, rowsTotal: 4 });
    expect(res.json().skipped).toHaveLength(1);
    const again = await importList(rows, { skipBadRows: true });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyImported: true });
    expect(await rowsIn()).toBe(3);
    // A serial already imported, in another file, is a bad row.
    const dup = await importList([good()[0]!], {}, 'clearing-2025-b.csv');
    expect(dup.json().problems[0]).toMatchObject({ row: 2, field: 'serial' });
    const [stored] = await t.db.query<{ masked_id_number: string }>(`SELECT masked_id_number FROM clearing_settlements WHERE serial = 'CL-3'`);
    expect(stored!.masked_id_number).not.toBe(other);
  });

  it('is the bureau\'s: a township station may not import', async () => {
    const station = await staffToken(app, 'station1');
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/clearing-imports', headers: station, payload: { fileName: 'c.csv', contentBase64: b64(HEADER) } });
    expect(res.statusCode).toBe(403);
  });
});

describe('the report both ways', () => {
  it('counts Lhasa\'s people treated elsewhere and other regions\' people treated in Lhasa, by place', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/console/reports/out-of-area?year=2025', headers: lhasaClerk });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.region).toBe('540100');
    // As insured place: the spouse's bill in Dege (direct) and the two clearing rows (Chengdu, Chongqing).
    expect(r.asInsuredPlace.settlements).toBe(3);
    expect(r.asInsuredPlace.total).toBe(50_000 + 1_200_050 + 30_000);
    const places = Object.fromEntries(r.asInsuredPlace.byPlace.map((p: { place: string }) => [p.place, p]));
    expect(places['513330']).toMatchObject({ settlements: 1, direct: 1, clearing: 0, name: '德格县' });
    expect(places['510100']).toMatchObject({ settlements: 1, clearing: 1, total: 1_200_050, fund: 900_000, province: '四川省' });
    // As treatment place: two Dege people at the Lhasa hospital (one filed) and the Beijing patient of the clearing list.
    expect(r.asTreatmentPlace.settlements).toBe(3);
    expect(r.asTreatmentPlace.filed).toBe(1);
    const from = Object.fromEntries(r.asTreatmentPlace.byPlace.map((p: { place: string }) => [p.place, p]));
    expect(from['513330']).toMatchObject({ settlements: 2, direct: 2, total: 400_000 });
    expect(from['110100']).toMatchObject({ settlements: 1, clearing: 1, total: 880_000, fund: 600_000 });
  });

  it('exports the same figures as CSV and XLSX', async () => {
    const csv = await app.inject({ method: 'GET', url: '/api/v1/console/reports/out-of-area?year=2025&format=csv', headers: lhasaClerk });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('out-of-area-540100-2025.csv');
    expect(csv.body).toContain('as_insured_place,510100,,四川省,1,0,1,0,12000.50,9000.00');
    expect(csv.body).toContain('as_treatment_place,total,,,3,,,1,');
    const xlsx = await app.inject({ method: 'GET', url: '/api/v1/console/reports/out-of-area?year=2025&format=xlsx', headers: lhasaClerk });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/reports/out-of-area?year=2025&format=pdf', headers: lhasaClerk })).statusCode).toBe(400);
  });

  it('is the mirror image for Dege, without the bill at home', async () => {
    const r = (await app.inject({ method: 'GET', url: '/api/v1/console/reports/out-of-area?year=2025&region=513330', headers: degeClerk })).json();
    expect(r.asInsuredPlace).toMatchObject({ settlements: 2, total: 400_000, filed: 1 });
    expect(r.asTreatmentPlace).toMatchObject({ settlements: 1, total: 50_000 });
  });

  it('refuses a region outside the staff member\'s area, an unknown region, and a malformed one', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/reports/out-of-area?region=540100&year=2025', headers: degeClerk })).statusCode).toBe(403);
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/console/reports/out-of-area?region=540000&year=2025', headers: lhasaClerk });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'UNKNOWN_REGION', field: 'region' });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/console/reports/out-of-area?region=54&year=2025', headers: lhasaClerk });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('region');
  });

  it('prints the same figures from the CLI; a bad file exits 2 with one line', async () => {
    const { io, out, err } = memoryIo();
    const run = (...argv: string[]) => runCommand(io, () => outOfAreaCommand(io, argv, undefined, { db: t.db, policies }));
    expect(await run('report', '--region', '540100', '--year', '2025')).toBe(0);
    expect(out.join('\n')).toContain('as insured place (our people treated elsewhere): 3 settlements, 12,800.50 yuan');
    const dir = mkdtempSync(join(tmpdir(), 'sanbao-clearing-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'bad.csv');
    writeFileSync(file, [HEADER, `CL-20,540100,510100,华西,${a.head.idNumber},21,2025-03-02,100,150,0`].join('\n'));
    expect(await run('import', file, '--region', '540100')).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain('row 2 fund');
    expect(await run('report', '--region', 'abc', '--year', '2025')).toBe(2);
  });
});

describe('emergencies out of area', () => {
  it('count as filed (视同已备案): the filed ratio without a filing', async () => {
    const pre = (visit: Record<string, unknown>) =>
      app.inject({
        method: 'POST', url: '/api/v1/pre-settlements', headers: { authorization: `Bearer ${KEYS.lhasa}` },
        payload: { patient: { idNumber: f.plain.idNumber }, visit: { kind: 'inpatient', date: '2025-06-01', ...visit }, amounts: { total: 100_000, compliant: 80_000 } },
      });
    const unfiled = (await pre({})).json();
    const emergency = (await pre({ emergency: true })).json();
    const notEmergency = (await pre({ emergency: false })).json();
    const basic = (r: { steps: { fund: string; ratio?: number }[] }) => r.steps.find((x) => x.fund === 'basic')!;
    // Dege's policy: filed −5 points, not filed −20 points from the level-3 ratio.
    expect(basic(emergency).ratio! - basic(unfiled).ratio!).toBe(1_500);
    expect(emergency.funds.basic).toBeGreaterThan(unfiled.funds.basic);
    expect(notEmergency.funds).toEqual(unfiled.funds);
  });
});

describe('filing reasons', () => {
  const DAY = 86_400_000;
  const today = beijingToday();
  const later = new Date(Date.parse(`${today}T00:00:00Z`) + 200 * DAY).toISOString().slice(0, 10);
  const file = (personId: number) =>
    app.inject({ method: 'POST', url: `/api/v1/console/persons/${personId}/filings`, headers: lhasaClerk, payload: { treatmentPlace: '成都市', reason: 'work_elsewhere', validFrom: today, validTo: later } });

  it('accepts work elsewhere (常驻异地工作) for an employee and refuses it for a resident', async () => {
    expect((await file(a.head.id)).statusCode).toBe(201);
    const resident = await file(a.spouse.id);
    expect(resident.statusCode).toBe(422);
    expect(resident.json().error).toMatchObject({ code: 'FILING_REASON_NOT_FOR_SCHEME', field: 'reason' });
  });
});
