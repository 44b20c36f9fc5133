/**
 * Issue 13: rosters say what they do. A short roster once ended everyone else's
 * status across the county, names and villages that disagreed with the register
 * went in silently, and the people it registered had no household.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster, RosterRejected, type RosterImportRequest } from '../src/service/roster-import.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { idNumber, rosterCsv, type RosterLine } from './support/enrollment-fixture.ts';
import { seedDivisions } from './support/enrollment-fixture.ts';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  await seedDivisions(t.db);
});
afterAll(async () => {
  await t?.drop();
});

const request = (lines: readonly RosterLine[], over: Partial<RosterImportRequest> = {}): RosterImportRequest => ({
  mode: 'add', department: 'civil_affairs', identity: 'minimum_living', validFrom: '2025-01-01', validTo: null,
  fileName: 'dibao.csv', format: 'csv', content: rosterCsv(lines), skipBadRows: false, actor: 'test', ...over,
});

async function snapshot() {
  const [row] = await t.db.query<{ persons: number; households: number; active: number; ended: number; rosters: number; audit: number }>(
    `SELECT (SELECT count(*)::int FROM persons) AS persons, (SELECT count(*)::int FROM households) AS households,
       (SELECT count(*)::int FROM identities WHERE ended_at IS NULL) AS active, (SELECT count(*)::int FROM identities WHERE ended_at IS NOT NULL) AS ended,
       (SELECT count(*)::int FROM rosters) AS rosters, (SELECT count(*)::int FROM audit_log) AS audit`,
  );
  return row!;
}

const county = Array.from({ length: 30 }, (_, i) => ({ id: idNumber(1000 + i), name: `低保${i}`, division: i < 20 ? '513330001001' : '513330002001' }));

describe('a roster says what it does', () => {
  it('adds the county list (mode add), registering each new person in a household of their own', async () => {
    const result = await importRoster(t.db, request(county));
    expect(result).toMatchObject({ mode: 'add', registered: 30, households: 30, added: 30, ended: 0 });
    const rows = await t.db.query<{ relation: string; code: string; division: string; village: string }>(
      `SELECT p.relation, h.code, h.division_code AS division, p.division_code AS village FROM persons p JOIN households h ON h.id = p.household_id
       WHERE p.id_number = ANY($1::text[])`,
      [county.map((c) => c.id)],
    );
    expect(rows).toHaveLength(30);
    for (const r of rows) expect(r).toMatchObject({ relation: 'head', division: r.village, code: expect.stringMatching(new RegExp(`^${r.village}-R\\d+$`)) });
    const audited = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'household.create'`);
    expect(audited).toHaveLength(30);
  });

  it('refuses a roster whose mode is missing: no implicit replace, nothing written', async () => {
    const before = await snapshot();
    await expect(importRoster(t.db, request(county.slice(0, 4), { mode: undefined }))).rejects.toMatchObject({ code: 'MODE_REQUIRED', field: 'mode' });
    await expect(importRoster(t.db, request(county.slice(0, 4), { mode: 'everything' as never }))).rejects.toMatchObject({ code: 'UNKNOWN_MODE' });
    expect(await snapshot()).toEqual(before);
  });

  it('a replacing roster names its division', async () => {
    await expect(importRoster(t.db, request(county.slice(0, 4), { mode: 'replace' }))).rejects.toMatchObject({ code: 'DIVISION_REQUIRED', field: 'division' });
  });

  it('4 good rows replacing the county list end 26 people’s status only after that number is confirmed (the 83-people defect)', async () => {
    const before = await snapshot();
    const four = request(county.slice(0, 4), { mode: 'replace', division: '513330', validFrom: '2025-07-01', fileName: 'dibao-4.csv' });
    // Before the fix this silently ended everyone else's status; now the clerk sees the number first.
    const refused = await importRoster(t.db, four).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFIRM_END_REQUIRED', field: 'confirmEnd' });
    expect((refused as Error).message).toMatch(/would end the minimum_living status of 26 people of civil_affairs in 513330 it no longer lists/);
    expect(await snapshot()).toEqual(before);
    const dry = await importRoster(t.db, { ...four, dryRun: true });
    // 26 dropped, and the 4 who stay get new dates (old record ended, new one added).
    expect(dry).toMatchObject({ dryRun: true, rosterId: null, ended: 30, dropped: 26, added: 4 });
    expect(await snapshot()).toEqual(before);
    await expect(importRoster(t.db, { ...four, confirmEnd: 30 })).rejects.toMatchObject({ code: 'CONFIRM_END_REQUIRED' });
    expect(await snapshot()).toEqual(before);
    const done = await importRoster(t.db, { ...four, confirmEnd: 26 });
    expect(done).toMatchObject({ ended: 30, dropped: 26, added: 4 });
    expect((await snapshot()).active).toBe(before.active - 26);
  });

  it('replacing a township’s list touches no one outside the township', async () => {
    await importRoster(t.db, request(county, { validFrom: '2025-08-01', fileName: 'again.csv' }));
    const outside = () => t.db.query(`SELECT 1 FROM identities i JOIN persons p ON p.id = i.person_id WHERE i.ended_at IS NULL AND p.division_code LIKE '513330002%'`);
    const before = (await outside()).length;
    expect(before).toBe(10);
    const township = await importRoster(t.db, request(county.slice(0, 18), { mode: 'replace', division: '513330001', validFrom: '2025-08-01', fileName: 'twp.csv' }));
    // 2 dropped, and the 4 kept since July take the new dates.
    expect(township).toMatchObject({ ended: 6, dropped: 2, added: 4 });
    expect((await outside()).length).toBe(before);
  });

  it('a roster of endings ends only the listed people, the day before it starts, and refuses people the register does not hold', async () => {
    const before = await snapshot();
    const stranger = { id: idNumber(1900), name: '陌生' };
    const refused = await importRoster(t.db, request([county[0]!, stranger], { mode: 'end', validFrom: '2025-10-01', fileName: 'end.csv' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RosterRejected);
    expect((refused as RosterRejected).problems).toEqual([{ row: 3, reason: expect.stringMatching(/not in the register/) }]);
    expect(await snapshot()).toEqual(before);
    const ended = await importRoster(t.db, request([county[0]!, county[25]!], { mode: 'end', validFrom: '2025-10-01', fileName: 'end.csv' }));
    expect(ended).toMatchObject({ mode: 'end', registered: 0, added: 0, ended: 2 });
    const [row] = await t.db.query<{ valid_to: string }>(
      `SELECT i.valid_to::text AS valid_to FROM identities i JOIN persons p ON p.id = i.person_id WHERE p.id_number = $1 ORDER BY i.id DESC LIMIT 1`,
      [county[0]!.id],
    );
    expect(row!.valid_to).toBe('2025-09-30');
    expect((await snapshot()).active).toBe(before.active - 2);
  });
});

describe('a roster that disagrees with the register', () => {
  const known = county[5]!;

  it('refuses a known ID number under another name, and a village the register disagrees with, naming no one', async () => {
    const before = await snapshot();
    const lines = [{ ...known, name: '改名' }, { ...county[6]!, division: '513330001002' }, county[7]!];
    const refused = await importRoster(t.db, request(lines, { fileName: 'mismatch.csv' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RosterRejected);
    const problems = (refused as RosterRejected).problems;
    expect(problems.map((p) => p.row)).toEqual([2, 3]);
    expect(problems[0]!.reason).toMatch(/name differs from the one registered/);
    expect(problems[1]!.reason).toMatch(/division 513330001002 disagrees with the register \(513330001001\)/);
    expect(JSON.stringify(problems)).not.toContain('改名');
    expect(await snapshot()).toEqual(before);
  });

  it('accepts a township code holding the registered village', async () => {
    const ok = await importRoster(t.db, request([{ ...known, division: '513330001' }], { fileName: 'township.csv' }));
    expect(ok.rowsImported).toBe(1);
  });

  it('corrects the register from a roster marked to, auditing each change without the values', async () => {
    const lines = [{ ...known, name: '改名' }, { ...county[6]!, division: '513330001002' }];
    const result = await importRoster(t.db, request(lines, { fileName: 'correct.csv', correctRegister: true }));
    expect(result).toMatchObject({ corrected: 2, rowsImported: 2 });
    const rows = await t.db.query<{ name: string; division_code: string }>(
      'SELECT name, division_code FROM persons WHERE id_number = ANY($1::text[]) ORDER BY id', [[known.id, county[6]!.id]],
    );
    expect(rows).toEqual([{ name: '改名', division_code: '513330001001' }, { name: county[6]!.name, division_code: '513330001002' }]);
    const audit = await t.db.query<{ detail: { fields: string[]; via: string } }>(`SELECT detail FROM audit_log WHERE action = 'person.update' ORDER BY id`);
    expect(audit.map((a) => a.detail.fields)).toEqual([['name'], ['division_code']]);
    expect(audit[0]!.detail.via).toBe('roster correction');
    expect(JSON.stringify(audit)).not.toContain('改名');
    const [roster] = await t.db.query<{ corrects_register: boolean }>('SELECT corrects_register FROM rosters WHERE id = $1', [result.rosterId]);
    expect(roster!.corrects_register).toBe(true);
  });
});
