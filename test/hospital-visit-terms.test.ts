/**
 * The hospital API gives the engine what it uses (issue 11 leftovers, issue 15):
 * a chronic visit's `chronicCategory`, checked against the catalogue in force,
 * and an inpatient stay's admission and discharge dates, so a policy that picks
 * its rules by discharge date settles a stay across a change by its discharge —
 * both stored with the visit, so re-adjudication settles the bill the same way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { contributionFor } from '../src/domain/enrollment/contribution.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import { loadPolicies } from '../src/domain/policy/registry.ts';
import { importReferenceCatalogues } from '../src/service/insurance-catalogue-import.ts';
import { insertApproval } from '../src/store/repositories/chronic-approvals.ts';
import { insertPerson } from '../src/store/repositories/persons.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { KEYS, seedFixture } from './support/fixture.ts';
import { FIXTURE_POLICY_DIR } from './support/policies.ts';

let t: TestDb;
let app: FastifyInstance;
let dir: string;
let lhasa: { id: number; idNumber: string };

beforeAll(async () => {
  // lhasa-2025 as a bureau might write it: rules by discharge date, and a higher level-3 inpatient ratio from 1 September.
  dir = mkdtempSync(join(tmpdir(), 'sanbao-policies-'));
  writeFileSync(join(dir, 'dege-2025.yaml'), readFileSync(join(FIXTURE_POLICY_DIR, 'dege-2025.yaml')));
  const text = readFileSync(join(FIXTURE_POLICY_DIR, 'lhasa-2025.yaml'), 'utf8')
    .replace(/^ruleDate: admission.*$/m, 'ruleDate: discharge')
    .replace(
      '      resident: { chronic: { catalogue: { categories: 43,',
      '      resident: { inpatient: { levels: { 3: { deductible: 600, ratio: 80% } } }, chronic: { catalogue: { categories: 43,',
    );
  expect(text).toContain('ruleDate: discharge');
  expect(text).toContain('ratio: 80% } } }');
  writeFileSync(join(dir, 'lhasa-2025.yaml'), text);
  const policies = loadPolicies(dir);

  t = await createTestDb();
  await seedFixture(t.db, policies);
  await importReferenceCatalogues(t.db, 'test');
  const idNumber = makeIdNumber('540102', '1970-05-05', 321, 'F');
  const id = await insertPerson(t.db, { idNumber, name: '央金', sex: 'F', birthDate: '1970-05-05', divisionCode: '540102', householdId: null, phone: null, qrToken: 'qr_lhasa_terms_1' });
  const c = contributionFor(policies.get('lhasa-2025')!, []);
  await t.db.query(
    `INSERT INTO enrollments (person_id, year, policy_id, scheme, tier, contribution_fen, subsidy_fen, individual_fen, paid_fen, status)
     VALUES ($1, 2025, 'lhasa-2025', 'resident', $2, $3, $4, $5, $5, 'enrolled')`,
    [id, c.tier, c.contribution, c.subsidy, c.individual],
  );
  await insertApproval(t.db, { personId: id, applicationId: null, renewedFrom: null, region: '540100', code: 'LS13', validFrom: '2025-01-01', validTo: '2025-12-31', by: 'test' });
  lhasa = { id, idNumber };
  app = await buildApp({ db: t.db, policies, logLevel: 'silent' });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const hospital = { authorization: `Bearer ${KEYS.lhasa}` };
const settle = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/settlements', headers: hospital, payload });

async function storedVisit(transactionId: string) {
  const [row] = await t.db.query<{ visit_date: string; discharge_date: string | null; bill_date: string | null; chronic_category: number | null }>(
    `SELECT v.visit_date::text AS visit_date, v.discharge_date::text AS discharge_date, v.bill_date::text AS bill_date, v.chronic_category
     FROM settlements s JOIN visits v ON v.id = s.visit_id WHERE s.transaction_id = $1`,
    [transactionId],
  );
  return row;
}

describe('chronicCategory', () => {
  const chronic = (transactionId: string, date: string, chronicCategory: number) => ({
    transactionId, patient: { idNumber: lhasa.idNumber },
    visit: { kind: 'chronic', chronicClass: 'B', date, diagnosis: 'I10.x00', chronicCategory },
    amounts: { total: 10_000, compliant: 10_000 },
  });

  it('is checked against the catalogue in force on the visit date, and stored', async () => {
    // Before 1 September the resident catalogue has 33 categories; from then, 43.
    const before = await settle(chronic('TERMS-C1', '2025-08-15', 40));
    expect(before.statusCode).toBe(400);
    expect(before.json().error).toMatchObject({ code: 'CHRONIC_NOT_IN_CATALOGUE', field: 'visit.chronicCategory' });
    const trial = await app.inject({ method: 'POST', url: '/api/v1/pre-settlements', headers: hospital, payload: { ...chronic('x', '2025-09-02', 40), transactionId: undefined } });
    expect(trial.statusCode).toBe(200);
    const after = await settle(chronic('TERMS-C2', '2025-09-02', 40));
    expect(after.statusCode).toBe(201);
    expect(await storedVisit('TERMS-C2')).toMatchObject({ chronic_category: 40 });
    const bad = await settle(chronic('TERMS-C3', '2025-09-02', 0));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('visit.chronicCategory');
  });
});

describe('admission and discharge dates', () => {
  it('settles a stay across a change of rules by its discharge date when the policy says so, and keeps it through re-adjudication', async () => {
    // An earlier outpatient bill, to be reversed later (which settles the stay again).
    const early = await settle({ transactionId: 'TERMS-O1', patient: { idNumber: lhasa.idNumber }, visit: { kind: 'outpatient', date: '2025-07-01' }, amounts: { total: 10_000, compliant: 10_000 } });
    expect(early.statusCode).toBe(201);
    // Level 3, admitted 28 August, discharged 3 September: the rules of 3 September, (100,000 − 60,000) × 80 % = 32,000.
    const stay = await settle({
      transactionId: 'TERMS-I1', patient: { idNumber: lhasa.idNumber },
      visit: { kind: 'inpatient', date: '2025-08-28', dischargeDate: '2025-09-03' }, amounts: { total: 100_000, compliant: 100_000 },
    });
    expect(stay.statusCode).toBe(201);
    expect(stay.json().funds.basic).toBe(32_000);
    expect(stay.json().visit.date).toBe('2025-08-28');
    expect(await storedVisit('TERMS-I1')).toMatchObject({ visit_date: '2025-08-28', discharge_date: '2025-09-03', bill_date: '2025-09-03' });

    const reversal = await app.inject({ method: 'POST', url: '/api/v1/settlements/TERMS-O1/reversal', headers: hospital, payload: { reversalId: 'TERMS-O1-R' } });
    expect(reversal.statusCode).toBe(200);
    const [entries] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM settlement_adjustments a JOIN settlements s ON s.id = a.settlement_id WHERE s.transaction_id = 'TERMS-I1'`,
    );
    expect(entries!.n).toBe(0);
  });
});
