/** Identity rosters from partner departments, on a real database: validation, idempotence, history. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRosterTable, parseRosterDate } from '../src/domain/enrollment/roster-rows.ts';
import { importRoster, RosterRejected, type RosterImportRequest } from '../src/service/roster-import.ts';
import { parseCsv, parseXlsx, toXlsx } from '../src/service/tabular.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { idNumber, rosterCsv, seedDivisions } from './support/enrollment-fixture.ts';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  await seedDivisions(t.db);
});
afterAll(async () => {
  await t?.drop();
});

const request = (content: Buffer, over: Partial<RosterImportRequest> = {}): RosterImportRequest => ({
  mode: 'replace', division: '513330', department: 'civil_affairs', identity: 'minimum_living', validFrom: '2025-01-01', validTo: null,
  fileName: 'dibao-2025.csv', format: 'csv', content, skipBadRows: false, actor: 'test', ...over,
});

async function state() {
  const [row] = await t.db.query<{ persons: number; active: number; ended: number; rosters: number; audit: number }>(
    `SELECT (SELECT count(*)::int FROM persons) AS persons,
       (SELECT count(*)::int FROM identities WHERE identity = 'minimum_living' AND ended_at IS NULL) AS active,
       (SELECT count(*)::int FROM identities WHERE identity = 'minimum_living' AND ended_at IS NOT NULL) AS ended,
       (SELECT count(*)::int FROM rosters) AS rosters, (SELECT count(*)::int FROM audit_log) AS audit`,
  );
  return row!;
}

describe('roster rows (pure)', () => {
  it('reads dates in the forms departments write them', () => {
    expect(parseRosterDate('2025/3/1')).toBe('2025-03-01');
    expect(parseRosterDate('20250301')).toBe('2025-03-01');
    expect(parseRosterDate('2025-02-30')).toBeNull();
  });

  it('names every bad row and its reasons', () => {
    const table = parseCsv(rosterCsv([
      { id: idNumber(1) },
      { id: idNumber(2).slice(0, 17) + (idNumber(2).endsWith('1') ? '2' : '1') },
      { id: idNumber(3), division: '999999001001' },
      { id: idNumber(4), from: '2025-13-01' },
      { id: idNumber(1) },
      { id: idNumber(5), from: '2025-06-01', to: '2025-01-01' },
    ]).toString());
    const check = checkRosterTable(table, new Set(['513330001001']), { validFrom: '2025-01-01', validTo: null });
    expect(check.entries.map((e) => e.row)).toEqual([2]);
    expect(check.problems.map((p) => p.row)).toEqual([3, 4, 5, 6, 7]);
    expect(check.problems[0]!.reason).toMatch(/check digit/);
    expect(check.problems[1]!.reason).toMatch(/999999001001 is not a known division/);
    expect(check.problems[2]!.reason).toMatch(/not a date/);
    expect(check.problems[3]!.reason).toMatch(/same ID number as row 2/);
    expect(check.problems[4]!.reason).toMatch(/before valid-from/);
  });
});

describe('importing a roster', () => {
  const first = Array.from({ length: 30 }, (_, i) => ({ id: idNumber(100 + i) }));

  it('registers unknown people and adds their identities, all audited', async () => {
    const before = await state();
    const result = await importRoster(t.db, request(rosterCsv(first)));
    expect(result).toMatchObject({ alreadyImported: false, rowsTotal: 30, rowsImported: 30, registered: 30, added: 30, ended: 0, unchanged: 0 });
    const after = await state();
    expect(after.persons - before.persons).toBe(30);
    expect(after.active).toBe(30);
    expect(after.audit - before.audit).toBe(30 + 30 + 30 + 1); // person.create, household.create, identity.add, roster.import
    const [person] = await t.db.query<{ sex: string; birth_date: string }>('SELECT sex, birth_date::text AS birth_date FROM persons WHERE id_number = $1', [idNumber(101)]);
    expect(person).toEqual({ sex: 'M', birth_date: `${1950 + 101 % 60}-0${1 + (101 % 9)}-11` });
  });

  it('changes nothing when the same roster comes again, as CSV or as XLSX', async () => {
    const before = await state();
    const again = await importRoster(t.db, request(rosterCsv(first)));
    expect(again).toMatchObject({ alreadyImported: true, added: 0, ended: 0 });
    const table = parseCsv(rosterCsv(first).toString());
    const xlsx = await toXlsx([{ name: 'roster', columns: table[0]!, rows: table.slice(1) }]);
    const asXlsx = await importRoster(t.db, request(xlsx, { fileName: 'dibao-2025.xlsx', format: 'xlsx' }));
    expect(asXlsx).toMatchObject({ alreadyImported: false, registered: 0, added: 0, ended: 0, unchanged: 30 });
    const after = await state();
    expect(after.active).toBe(before.active);
    expect(after.ended).toBe(before.ended);
    expect(after.persons).toBe(before.persons);
  });

  it('ends the identities a newer roster drops, keeping their history', async () => {
    const newer = [...first.slice(0, 25), { id: idNumber(200) }];
    const result = await importRoster(t.db, request(rosterCsv(newer), { validFrom: '2025-07-01', fileName: 'dibao-2025-07.csv' }));
    // Dates changed for the 25 who stay (new valid-from): old records end, new ones start.
    expect(result).toMatchObject({ registered: 1, added: 26, ended: 30, unchanged: 0 });
    const dropped = await t.db.query<{ valid_from: string; valid_to: string; ended_by: string }>(
      `SELECT i.valid_from::text AS valid_from, i.valid_to::text AS valid_to, i.ended_by FROM identities i JOIN persons p ON p.id = i.person_id
       WHERE p.id_number = $1 ORDER BY i.id`,
      [idNumber(129)],
    );
    expect(dropped).toEqual([{ valid_from: '2025-01-01', valid_to: '2025-06-30', ended_by: `roster:${result.rosterId}` }]);
    const kept = await t.db.query<{ valid_from: string; ended: boolean }>(
      `SELECT i.valid_from::text AS valid_from, i.ended_at IS NOT NULL AS ended FROM identities i JOIN persons p ON p.id = i.person_id
       WHERE p.id_number = $1 ORDER BY i.id`,
      [idNumber(100)],
    );
    expect(kept).toEqual([{ valid_from: '2025-01-01', ended: true }, { valid_from: '2025-07-01', ended: false }]);
    expect((await state()).active).toBe(26);
  });

  it('refuses a file with bad rows whole, naming each, and writes nothing', async () => {
    const before = await state();
    const bad = rosterCsv([{ id: idNumber(300) }, { id: '513330199001011230' }, { id: idNumber(301), division: '513330009001' }]);
    const error = await importRoster(t.db, request(bad, { fileName: 'bad.csv' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RosterRejected);
    expect((error as RosterRejected).problems.map((p) => p.row)).toEqual([3, 4]);
    expect((error as Error).message).toMatch(/row 3: .*; row 4: division 513330009001 is not a known division/);
    expect(await state()).toEqual(before);
  });

  it('refuses a name holding a control character (a NUL cannot be stored) as a bad row, not a database error', async () => {
    const before = await state();
    const bad = rosterCsv([{ id: idNumber(310), name: '卓\u0000玛' }, { id: idNumber(311), name: 'a\u0007b' }]);
    const error = await importRoster(t.db, request(bad, { fileName: 'nul.csv' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RosterRejected);
    expect((error as RosterRejected).problems).toEqual([{ row: 2, reason: 'name contains a control character' }, { row: 3, reason: 'name contains a control character' }]);
    expect(await state()).toEqual(before);
  });

  it('imports without the bad rows only on an explicit request, and keeps their list', async () => {
    const bad = rosterCsv([{ id: idNumber(400) }, { id: '513330199001011230' }], );
    const result = await importRoster(t.db, request(bad, { identity: 'monitored', department: 'rural_revitalization', fileName: 'monitored.csv', skipBadRows: true }));
    expect(result).toMatchObject({ rowsTotal: 2, rowsImported: 1, added: 1 });
    expect(result.skipped).toEqual([{ row: 3, reason: expect.stringMatching(/ID number/) }]);
    const [roster] = await t.db.query<{ skipped: unknown }>('SELECT skipped FROM rosters WHERE id = $1', [result.rosterId]);
    expect(roster!.skipped).toEqual(result.skipped);
  });

  it('computes a dry run and writes nothing', async () => {
    const before = await state();
    const result = await importRoster(t.db, request(rosterCsv([{ id: idNumber(500) }]), { fileName: 'dry.csv', dryRun: true }));
    expect(result).toMatchObject({ dryRun: true, rosterId: null, registered: 1, added: 1, ended: 26, dropped: 26 });
    expect(await state()).toEqual(before);
  });

  it('refuses a file without the required columns', async () => {
    await expect(importRoster(t.db, request(Buffer.from('姓名,电话\n张三,1\n')))).rejects.toMatchObject({ code: 'INVALID_ROSTER' });
  });

  it('reads XLSX cells typed as dates and numbers', async () => {
    const xlsx = await toXlsx([{ name: 's', columns: ['id_number', 'name', 'division_code', 'valid_from'], rows: [[idNumber(600), '卓玛', '513330001001', '2025-03-01']] }]);
    const table = await parseXlsx(xlsx);
    expect(table[1]).toEqual([idNumber(600), '卓玛', '513330001001', '2025-03-01']);
  });
});
