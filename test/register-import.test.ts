/**
 * Setting a county up without the demo (issue 9): its divisions, then its
 * household register, from CSV or XLSX — each row checked, a bad file refused
 * whole naming every bad row, re-imports idempotent, every change audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../src/domain/errors.ts';
import { importDivisions, TableRejected, type DivisionImportRequest } from '../src/service/division-import.ts';
import { importHouseholds, type HouseholdImportRequest } from '../src/service/household-import.ts';
import { toXlsx } from '../src/service/tabular.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { idNumber } from './support/enrollment-fixture.ts';
import { DIVISIONS_CSV, REGISTER, registerCsv } from './support/register-fixture.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const divisions = (content: string | Buffer, over: Partial<DivisionImportRequest> = {}): DivisionImportRequest => ({
  fileName: 'divisions.csv', format: 'csv', content: Buffer.isBuffer(content) ? content : Buffer.from(content), scope: null, skipBadRows: false, dryRun: false, actor: 'test', ...over,
});
const register = (content: Buffer, over: Partial<HouseholdImportRequest> = {}): HouseholdImportRequest => ({
  fileName: 'register.csv', format: 'csv', content, scope: null, skipBadRows: false, dryRun: false, correctRegister: false, actor: 'test', ...over,
});
const count = async (sql: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n ${sql}`))[0]!.n;

async function rejection(promise: Promise<unknown>): Promise<TableRejected> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TableRejected);
  return error as TableRejected;
}

describe('divisions', () => {
  it('refuses a file with bad rows whole, naming each: shape, parent, duplicate, missing name, Tibetan not Tibetan', async () => {
    const bad = [
      '区划代码,名称,藏文名称',
      '513330,德格县,སྡེ་དགེ་རྫོང་།',
      '51333000,坏码,',
      '513330009001,孤村,',
      '513330,德格县重复,',
      '513330001,,',
      '513330002,马尼干戈镇,Manigango',
      '513330002001,三村,',
    ].join('\n');
    const error = await rejection(importDivisions(t.db, divisions(bad)));
    expect(error.problems.map((p) => p.row)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(error.problems[0]!.reason).toMatch(/not a 6, 9 or 12-digit/);
    expect(error.problems[1]!.reason).toMatch(/parent 513330009 is neither in the file nor a known division/);
    expect(error.problems[2]!.reason).toMatch(/same code as row 2/);
    expect(error.problems[3]!.reason).toMatch(/Chinese name is missing/);
    expect(error.problems[4]!.reason).toMatch(/not Tibetan script/);
    expect(error.problems[5]!.reason).toMatch(/parent 513330002 is a bad row/);
    expect(error.message).toMatch(/^division file refused, nothing imported: 6 bad row\(s\): row 3: /);
    expect(await count('FROM divisions')).toBe(0);
  });

  it('a dry run shows what would change and writes nothing', async () => {
    const r = await importDivisions(t.db, divisions(DIVISIONS_CSV, { dryRun: true }));
    expect(r).toMatchObject({ dryRun: true, rowsTotal: 6, added: 6, renamed: 0 });
    expect(r.rows.map((x) => x.change)).toEqual(['add', 'add', 'add', 'add', 'add', 'add']);
    expect(await count('FROM divisions')).toBe(0);
    expect(await count('FROM audit_log')).toBe(0);
  });

  it('imports with parents before children, levels from the code; again changes nothing; new names rename, audited', async () => {
    const first = await importDivisions(t.db, divisions(DIVISIONS_CSV));
    expect(first).toMatchObject({ added: 6, renamed: 0, unchanged: 0 });
    const rows = await t.db.query<{ code: string; level: number; parent_code: string | null; name_bo: string | null }>('SELECT code, level, parent_code, name_bo FROM divisions ORDER BY code');
    expect(rows.map((r) => [r.code, r.level, r.parent_code])).toEqual([
      ['513330', 1, null], ['513330001', 2, '513330'], ['513330001001', 3, '513330001'], ['513330001002', 3, '513330001'],
      ['513330002', 2, '513330'], ['513330002001', 3, '513330002'],
    ]);
    expect(rows[2]!.name_bo).toBe('གྲོང་ཚོ་དང་པོ།');
    const audits = await count(`FROM audit_log WHERE action LIKE 'division.%'`);
    expect(await importDivisions(t.db, divisions(DIVISIONS_CSV))).toMatchObject({ added: 0, renamed: 0, unchanged: 6 });
    expect(await count(`FROM audit_log WHERE action LIKE 'division.%'`)).toBe(audits);
    const renamed = await importDivisions(t.db, divisions('code,name,name_bo\n513330001002,二村（新）,གྲོང་ཚོ་གཉིས་པ།\n513330002002,四村,'));
    expect(renamed).toMatchObject({ added: 1, renamed: 1, unchanged: 0 });
    const [update] = await t.db.query<{ detail: { before: { name: string }; after: { name: string; name_bo: string } } }>(
      `SELECT detail FROM audit_log WHERE action = 'division.update' AND entity_id = '513330001002'`,
    );
    expect(update!.detail.before.name).toBe('二村');
    expect(update!.detail.after).toMatchObject({ name: '二村（新）', name_bo: 'གྲོང་ཚོ་གཉིས་པ།' });
  });

  it('reads XLSX the same, and keeps a staff member inside their division', async () => {
    const xlsx = await toXlsx([{ name: 'd', columns: ['code', 'name', 'name_bo'], rows: [['513330002003', '五村', 'གྲོང་ཚོ་ལྔ་པ།'], ['540102', '城关区', '']] }]);
    const error = await rejection(importDivisions(t.db, divisions(xlsx, { format: 'xlsx', scope: '513330' })));
    expect(error.problems).toEqual([{ row: 3, reason: 'code 540102 is outside your division 513330' }]);
    expect(await importDivisions(t.db, divisions(xlsx, { format: 'xlsx', scope: '513330', skipBadRows: true }))).toMatchObject({ added: 1, skipped: [{ row: 3 }] });
  });

  it('refuses a file without the columns it needs, naming them', async () => {
    const error = await importDivisions(t.db, divisions('foo,bar\n1,2')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_TABLE');
    expect((error as DomainError).message).toMatch(/no code column \(accepted: code, division_code, 代码/);
  });
});

describe('household register', () => {
  it('refuses a register with bad rows whole, naming each', async () => {
    const otherId = idNumber(9101);
    const bad = registerCsv([
      ...REGISTER,
      { household: 'H-010', id: idNumber(9100), village: '513330009001' },
      { household: 'H-011', id: otherId.slice(0, 17) + (otherId.endsWith('1') ? '2' : '1') },
      { household: 'H-012', id: idNumber(9102), relation: '户主' },
      { household: 'H-012', id: idNumber(9103), relation: '户主' },
      { household: 'H-013', id: idNumber(9104), relation: '配偶' },
      { household: 'H-014', id: idNumber(9001), relation: '户主' },
      { household: 'H-015', id: idNumber(9105), relation: '邻居' },
      { household: 'H-016', id: idNumber(9106), phone: '12345' },
      { household: 'H-017', id: idNumber(9107), village: '513330001001' },
      { household: 'H-017', id: idNumber(9108), relation: '配偶', village: '513330002001' },
    ]);
    const error = await rejection(importHouseholds(t.db, register(bad)));
    const reasons = Object.fromEntries(error.problems.map((p) => [p.row, p.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 16]);
    expect(reasons[7]).toMatch(/village 513330009001 is not a known village/);
    expect(reasons[8]).toMatch(/check digit/);
    expect(reasons[9]).toMatch(/household H-012 has two heads \(rows 9, 10\)/);
    expect(reasons[11]).toMatch(/household H-013 has no head/);
    expect(reasons[12]).toMatch(/the same ID number as row 2/);
    expect(reasons[13]).toMatch(/relation "邻居" is not one of/);
    expect(reasons[14]).toMatch(/phone is not a mobile number/);
    expect(reasons[16]).toMatch(/household H-017 is in village 513330001001 on row 15/);
    expect(await count('FROM persons')).toBe(0);
    expect(await count('FROM households')).toBe(0);
  });

  it('a dry run counts and writes nothing; the import registers households and people with both names; again changes nothing', async () => {
    const dry = await importHouseholds(t.db, register(registerCsv(REGISTER), { dryRun: true }));
    expect(dry).toMatchObject({ dryRun: true, householdsAdded: 3, personsAdded: 5 });
    expect(await count('FROM persons')).toBe(0);
    const r = await importHouseholds(t.db, register(registerCsv(REGISTER)));
    expect(r).toMatchObject({ rowsTotal: 5, householdsAdded: 3, personsAdded: 5, personsChanged: 0 });
    const [head] = await t.db.query<{ name: string; name_bo: string; relation: string; sex: string; birth_date: string; division_code: string; code: string; phone: string }>(
      `SELECT p.name, p.name_bo, p.relation, p.sex, p.birth_date::text AS birth_date, p.division_code, h.code, p.phone FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id_number = $1`,
      [idNumber(9001)],
    );
    expect(head).toMatchObject({ name: '次仁多吉', name_bo: 'ཚེ་རིང་རྡོ་རྗེ།', relation: 'head', sex: 'M', division_code: '513330001001', code: 'H-001', phone: '13800001111' });
    expect(await count(`FROM audit_log WHERE action = 'person.create'`)).toBe(5);
    const again = await importHouseholds(t.db, register(registerCsv(REGISTER)));
    expect(again).toMatchObject({ householdsAdded: 0, personsAdded: 0, personsChanged: 0, unchanged: 5 });
    expect(await count(`FROM audit_log WHERE action LIKE 'person.%'`)).toBe(5);
  });

  it('refuses a person registered in another household or under another name, unless the register is corrected (audited)', async () => {
    const moved = registerCsv([
      { household: 'H-002', id: idNumber(9004), name: '格桑', relation: '户主' },
      { household: 'H-002', id: idNumber(9003), name: '扎西顿珠', relation: '子女' },
    ]);
    const error = await rejection(importHouseholds(t.db, register(moved)));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.reason).toMatch(/already registered in household H-001.*--correct-register.*; this person is already registered under another name/);
    const r = await importHouseholds(t.db, register(moved, { correctRegister: true }));
    expect(r).toMatchObject({ personsChanged: 1, unchanged: 1 });
    const [audit] = await t.db.query<{ detail: { via: string; before: Record<string, string>; after: Record<string, string> } }>(
      `SELECT a.detail FROM audit_log a JOIN persons p ON a.entity_id = p.id::text WHERE a.action = 'person.update' AND p.id_number = $1`,
      [idNumber(9003)],
    );
    expect(audit!.detail).toEqual({
      via: 'register correction', before: { name: '扎西', householdCode: 'H-001' }, after: { name: '扎西顿珠', householdCode: 'H-002' },
    });
  });

  it('a new head in the file when one is registered already is two heads; handing over within the file is fine', async () => {
    const second = await rejection(importHouseholds(t.db, register(registerCsv([{ household: 'H-002', id: idNumber(9110), relation: '户主' }]))));
    expect(second.problems[0]!.reason).toMatch(/household H-002 has two heads \(one is already registered\)/);
    const handover = registerCsv([
      { household: 'H-002', id: idNumber(9004), name: '格桑', relation: '父母' },
      { household: 'H-002', id: idNumber(9110), name: '新户主', relation: '户主' },
    ]);
    expect(await importHouseholds(t.db, register(handover))).toMatchObject({ personsAdded: 1, personsChanged: 1 });
  });

  it('with --skip-bad-rows leaves out whole households with a bad row', async () => {
    const file = registerCsv([
      { household: 'H-020', id: idNumber(9120), relation: '户主' },
      { household: 'H-020', id: idNumber(9121), relation: '邻居' },
      { household: 'H-021', id: idNumber(9122), relation: '户主' },
    ]);
    const r = await importHouseholds(t.db, register(file, { skipBadRows: true }));
    expect(r).toMatchObject({ householdsAdded: 1, personsAdded: 1 });
    expect(r.skipped.map((p) => p.row)).toEqual([2, 3]);
    expect(r.skipped[0]!.reason).toMatch(/household H-020 has a bad row/);
  });
});
