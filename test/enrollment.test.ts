/**
 * The yearly campaign, payments, coverage and the household view on a real
 * database, to the fen: Lhasa 2024 (fixed subsidy, border), Haixi 2023
 * (year-scheduled 70 %), Dege 2025 (full and 75 %).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import type { Identity } from '../src/domain/vocabulary.ts';
import { ATTESTING_DEPARTMENT } from '../src/domain/vocabulary.ts';
import { campaignStatusOf, openCampaign } from '../src/service/enrollment-campaign.ts';
import { householdView } from '../src/service/enrollment-household.ts';
import { recordPayment, reversePayment } from '../src/service/enrollment-payments.ts';
import { payRoster } from '../src/service/payment-batches.ts';
import { coverage, exportReport, subsidies, unenrolledList } from '../src/service/enrollment-reports.ts';
import { importRoster } from '../src/service/roster-import.ts';
import { parseCsv, parseXlsx } from '../src/service/tabular.ts';
import { insertIdentity, insertPerson } from '../src/store/repositories/persons.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { idNumber, rosterCsv, seedDivisions } from './support/enrollment-fixture.ts';

let t: TestDb;
const policies = loadFixturePolicies();
let n = 0;

async function household(code: string, division: string): Promise<number> {
  const [h] = await t.db.query<{ id: number }>('INSERT INTO households (code, division_code) VALUES ($1, $2) RETURNING id', [code, division]);
  return h!.id;
}

async function person(division: string, identities: Identity[], householdId: number | null = null, from = '2020-01-01'): Promise<number> {
  n += 1;
  const id = await insertPerson(t.db, {
    idNumber: idNumber(1000 + n, division.slice(0, 6)), name: `成员${n}`, sex: n % 2 ? 'M' : 'F', birthDate: `${1950 + ((1000 + n) % 60)}-01-01`,
    divisionCode: division, householdId, phone: `1390000${String(n).padStart(4, '0')}`, qrToken: `qr_enroll_${n}_xxxxxxxx`,
  });
  for (const identity of identities) await insertIdentity(t.db, { personId: id, identity, validFrom: from, department: ATTESTING_DEPARTMENT[identity] });
  return id;
}

async function enrollment(personId: number, year: number) {
  const [e] = await t.db.query<Record<string, unknown>>('SELECT * FROM enrollments WHERE person_id = $1 AND year = $2', [personId, year]);
  return e!;
}

const LHASA = '540102001001';
const HAIXI = '632802001001';
const DEGE = '513330001001';
const people: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDb();
  await seedDivisions(t.db);
  people.border = await person(LHASA, ['border_resident']);
  people.haixiPoor = await person(HAIXI, ['minimum_living']);
  people.haixiBoth = await person(HAIXI, ['minimum_living', 'extreme_poverty']);
  people.degePlain = await person(DEGE, []);
  people.degePoor = await person(DEGE, ['minimum_living']);
  people.degeDisabled = await person(DEGE, ['severe_disability', 'monitored']);
  people.degeOld = await person('513330002001', ['minimum_living'], null, '2018-01-01');
  await t.db.query(`UPDATE identities SET valid_to = '2019-12-31' WHERE person_id = $1`, [people.degeOld]);
});
afterAll(async () => {
  await t?.drop();
});

describe('the Lhasa family of 7 on the 2024 policy', () => {
  it('pays 266 yuan and is subsidised 2,394 yuan (7 × 38 and 7 × 342)', async () => {
    const hh = await household('LHASA-7', LHASA);
    const lines = Array.from({ length: 7 }, (_, i) => ({ id: idNumber(5000 + i, '540102'), division: LHASA }));
    await importRoster(t.db, {
      mode: 'add', department: 'civil_affairs', identity: 'minimum_living', validFrom: '2024-01-01', validTo: '2024-12-31',
      fileName: 'lhasa-dibao-2024.csv', format: 'csv', content: rosterCsv(lines), skipBadRows: false, actor: 'test',
    });
    await t.db.query(`UPDATE persons SET household_id = $1, relation = 'member' WHERE id_number = ANY($2::text[])`, [hh, lines.map((l) => l.id)]);
    // Before the campaign the view computes from the policy; after it, from the enrollments: the same figures.
    const before = await householdView(t.db, policies, hh, 2024, { actor: 'test', unmask: false });
    expect(before.totals).toMatchObject({ members: 7, individual: 26_600, subsidy: 239_400, contribution: 266_000 });
    const opened = await openCampaign(t.db, policies, { year: 2024, division: '540102', actor: 'test' });
    expect(opened).toMatchObject({ policies: ['lhasa-2024'], created: 8 });
    const view = await householdView(t.db, policies, hh, 2024, { actor: 'test', unmask: false });
    expect(view.totals).toEqual({ members: 7, contribution: 266_000, subsidy: 239_400, individual: 26_600, paid: 0, due: 26_600 });
    for (const m of view.members) {
      expect(m).toMatchObject({ status: 'pending', individual: 3_800, subsidy: 34_200, subsidyKind: 'fixed', subsidyDepartment: 'medical_assistance' });
      expect(m.name).toMatch(/^测\*$/);
      expect(m.idNumber).toMatch(/^540102\*{8}\d{3}[\dX]$/);
    }
  });

  it('a border resident pays nothing and is enrolled at once, paid on behalf by finance', async () => {
    expect(await enrollment(people.border!, 2024)).toMatchObject({
      contribution_fen: 38_000, subsidy_fen: 38_000, individual_fen: 0, status: 'enrolled', subsidy_department: 'finance', subsidy_identity: 'border_resident',
    });
  });
});

describe('the campaign', () => {
  it('Haixi 2023: the year-scheduled 70 %, and the single most favourable subsidy, never the sum', async () => {
    const result = await openCampaign(t.db, policies, { year: 2023, division: '632802', actor: 'test' });
    expect(result).toMatchObject({ policies: ['haixi-2023'], created: 2, updated: 0 });
    expect(await enrollment(people.haixiPoor!, 2023)).toMatchObject({ contribution_fen: 38_000, subsidy_fen: 26_600, individual_fen: 11_400, subsidy_kind: 'percentage' });
    expect(await enrollment(people.haixiBoth!, 2023)).toMatchObject({ subsidy_fen: 38_000, individual_fen: 0, subsidy_identity: 'extreme_poverty', status: 'enrolled' });
  });

  it('Dege 2025: full subsidy from the disabled persons’ federation beats 75 %; identities ended before the year do not count', async () => {
    const result = await openCampaign(t.db, policies, { year: 2025, division: '513330', actor: 'test' });
    expect(result).toMatchObject({ created: 4, noPolicy: 0 });
    expect(await enrollment(people.degeDisabled!, 2025)).toMatchObject({ subsidy_fen: 40_000, subsidy_department: 'disabled_federation', individual_fen: 0 });
    expect(await enrollment(people.degePoor!, 2025)).toMatchObject({ subsidy_fen: 30_000, individual_fen: 10_000, subsidy_department: 'medical_assistance' });
    expect(await enrollment(people.degeOld!, 2025)).toMatchObject({ subsidy_fen: 0, individual_fen: 40_000 });
  });

  it('opening again changes nothing; a new identity recomputes only what is still pending', async () => {
    const again = await openCampaign(t.db, policies, { year: 2025, division: '513330', actor: 'test' });
    expect(again).toMatchObject({ created: 0, updated: 0, kept: 4 });
    await insertIdentity(t.db, { personId: people.degePlain!, identity: 'special_care', validFrom: '2025-01-01', department: 'veterans_affairs' });
    const third = await openCampaign(t.db, policies, { year: 2025, division: '513330', actor: 'test' });
    expect(third).toMatchObject({ created: 0, updated: 1 });
    expect(await enrollment(people.degePlain!, 2025)).toMatchObject({ individual_fen: 0, status: 'enrolled', subsidy_department: 'veterans_affairs' });
  });

  it('refuses a year no policy covers', async () => {
    await expect(openCampaign(t.db, policies, { year: 2031, division: '513330', actor: 'test' })).rejects.toMatchObject({ code: 'NO_POLICY' });
  });
});

describe('payments', () => {
  it('confirms the enrollment when the individual part is paid, refuses overpayment and a receipt twice', async () => {
    const id = people.degeOld!;
    await expect(recordPayment(t.db, policies, { paidOn: '2024-11-15', personId: id, year: 2025, amount: 50_000, department: null, method: 'cash', reference: null, actor: 'test' }))
      .rejects.toMatchObject({ code: 'OVERPAYMENT' });
    // A zero amount (the CLI parses "--amount 0" as 0 fen) is bad input, not a database failure.
    await expect(recordPayment(t.db, policies, { paidOn: '2024-11-15', personId: id, year: 2025, amount: 0, department: null, method: 'cash', reference: null, actor: 'test' }))
      .rejects.toMatchObject({ kind: 'invalid', code: 'INVALID_AMOUNT' });
    const part = await recordPayment(t.db, policies, { paidOn: '2024-11-15', personId: id, year: 2025, amount: 15_000, department: null, method: 'mobile', reference: 'R-1', actor: 'test' });
    expect(part.enrollment).toMatchObject({ paid_fen: 15_000, status: 'pending' });
    await expect(recordPayment(t.db, policies, { paidOn: '2024-11-15', personId: id, year: 2025, amount: 100, department: null, method: 'cash', reference: 'R-1', actor: 'test' }))
      .rejects.toMatchObject({ code: 'DUPLICATE_RECEIPT' });
    const rest = await recordPayment(t.db, policies, { paidOn: '2024-11-15', personId: id, year: 2025, amount: 25_000, department: null, method: 'cash', reference: 'R-2', actor: 'test' });
    expect(rest.enrollment).toMatchObject({ paid_fen: 40_000, status: 'enrolled' });
    await expect(recordPayment(t.db, policies, { paidOn: '2024-11-15', personId: id, year: 2025, amount: 1, department: null, method: 'cash', reference: null, actor: 'test' }))
      .rejects.toMatchObject({ code: 'ALREADY_PAID' });
    const reversed = await reversePayment(t.db, { paymentId: rest.payment.id, reason: 'entered twice', actor: 'test' });
    expect(reversed.enrollment).toMatchObject({ paid_fen: 15_000, status: 'pending', enrolled_at: null });
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'payment' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['payment.create', 'payment.create', 'payment.reverse']);
  });

  it('a department pays on behalf, one by one or in bulk for its roster', async () => {
    const one = await recordPayment(t.db, policies, { paidOn: '2022-11-15', personId: people.haixiPoor!, year: 2023, amount: 11_400, department: 'rural_revitalization', method: 'transfer', reference: null, actor: 'test' });
    expect(one.payment).toMatchObject({ kind: 'on_behalf', department: 'rural_revitalization' });
    expect(one.enrollment.status).toBe('enrolled');
    const [roster] = await t.db.query<{ id: number }>(`SELECT id FROM rosters WHERE file_name = 'lhasa-dibao-2024.csv'`);
    const batch = await payRoster(t.db, policies, { paidOn: '2023-11-15', year: 2024, rosterId: roster!.id, department: 'civil_affairs', division: '540102', reference: 'B-2024-1', actor: 'test' });
    expect(batch).toMatchObject({ persons: 7, amount: 26_600 });
    const again = await payRoster(t.db, policies, { paidOn: '2023-11-15', year: 2024, rosterId: roster!.id, department: 'civil_affairs', division: '540102', reference: null, actor: 'test' });
    // Run again with no one left to pay for: the same batch, not an empty second one (issue 13).
    expect(again).toEqual({ ...batch, replayed: true });
    expect(await t.db.query('SELECT 1 FROM payment_batches')).toHaveLength(1);
    const status = await campaignStatusOf(t.db, 2024, '540102');
    expect(status).toMatchObject({ persons: 8, enrolled: 8, pending: 0, individual: 26_600, paid: 26_600, subsidy: 239_400 + 38_000 });
  });
});

describe('coverage and reports', () => {
  it('counts the target population, the enrolled and the rate per division and for the county', async () => {
    const c = await coverage(t.db, 2025, '513330');
    const byCode = Object.fromEntries(c.lines.map((l) => [l.code, l]));
    expect(byCode['513330']).toMatchObject({ level: 1, target: 4, enrolled: 2, notEnrolled: 2, rate: 5_000, difficultyTarget: 3, difficultyEnrolled: 2, difficultyRate: 6_667 });
    expect(byCode['513330001']).toMatchObject({ target: 3, enrolled: 2 });
    expect(byCode['513330002001']).toMatchObject({ target: 1, enrolled: 0, rate: 0 });
  });

  it('lists the people not enrolled by village, masked', async () => {
    const list = await unenrolledList(t.db, { year: 2025, prefix: '513330' }, { actor: 'test', unmask: false });
    expect(list.total).toBe(2);
    expect(list.people.map((p) => p.divisionCode)).toEqual(['513330001001', '513330002001']);
    expect(list.people[1]).toMatchObject({ due: 25_000, paid: 15_000, identities: [] });
    expect(list.people[0]!.phone).toMatch(/^139\*{4}\d{4}$/);
    const auditBefore = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.unmask'`);
    const open = await unenrolledList(t.db, { year: 2025, prefix: '513330' }, { actor: 'staff:admin', unmask: true });
    expect(open.people[0]!.idNumber).toMatch(/^\d{17}[\dX]$/);
    const auditAfter = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.unmask'`);
    expect(auditAfter[0]!.n).toBe(auditBefore[0]!.n + 1);
  });

  it('totals the subsidies per paying department and identity', async () => {
    const s = await subsidies(t.db, 2025, '513330');
    expect(s.lines).toEqual([
      { department: 'disabled_federation', identity: 'severe_disability', kind: 'full', persons: 1, subsidy: 40_000, enrolledPersons: 1, enrolledSubsidy: 40_000 },
      { department: 'medical_assistance', identity: 'minimum_living', kind: 'percentage', persons: 1, subsidy: 30_000, enrolledPersons: 0, enrolledSubsidy: 0 },
      { department: 'veterans_affairs', identity: 'special_care', kind: 'full', persons: 1, subsidy: 40_000, enrolledPersons: 1, enrolledSubsidy: 40_000 },
    ]);
    expect(s.total).toEqual({ persons: 3, subsidy: 110_000, enrolledSubsidy: 80_000 });
  });

  it('exports CSV and XLSX', async () => {
    const csv = parseCsv((await exportReport(t.db, 'coverage', 'csv', 2025, '513330', { actor: 'test', unmask: false })).toString('utf8'));
    expect(csv[0]![0]).toBe('division_code');
    expect(csv[1]).toEqual(['513330', '德格县', '1', '4', '2', '2', '50%', '3', '2', '66.67%']);
    const xlsx = await exportReport(t.db, 'coverage', 'xlsx', 2025, '513330', { actor: 'test', unmask: false });
    const first = await parseXlsx(xlsx);
    expect(first[1]![0]).toBe('513330');
  });
});
