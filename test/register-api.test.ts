/**
 * The register over the API: imports of divisions (bureau admin) and
 * household registers with their refusals (422 naming rows, 413 for a file
 * that unpacks too large), and the window's changes — scoped to the staff
 * member's division, audited before/after, masked in the audit view.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/api/app.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../src/demo/staff.ts';
import { loadFixturePolicies } from './support/policies.ts';
import { importDivisions } from '../src/service/division-import.ts';
import { createTestDb, type TestDb } from './support/db.ts';
import { idNumber } from './support/enrollment-fixture.ts';
import { DIVISIONS_CSV, REGISTER, registerCsv } from './support/register-fixture.ts';
import { xlsxBomb } from './support/zip-bomb.ts';

let t: TestDb;
let app: FastifyInstance;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  // Only the county and its first township, as a county starts before importing the rest.
  await importDivisions(t.db, { fileName: 'county.csv', format: 'csv', content: Buffer.from(DIVISIONS_CSV.split('\n').slice(0, 3).join('\n')), scope: null, skipBadRows: false, dryRun: false, actor: 'cli' });
  await loadDemoStaff(t.db);
  app = await buildApp({ db: t.db, policies: loadFixturePolicies(), logLevel: 'silent' });
  for (const username of ['admin', 'clerk', 'station1', 'auditor']) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password: DEMO_PASSWORD } });
    tokens[username] = res.json().token;
  }
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const upload = (fileName: string, content: string | Buffer, extra: Record<string, unknown> = {}) => ({
  fileName, contentBase64: Buffer.from(content).toString('base64'), ...extra,
});
const post = (who: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: as(who), payload: payload as object });
const patch = (who: string, url: string, payload: unknown) => app.inject({ method: 'PATCH', url, headers: as(who), payload: payload as object });

describe('imports over the API', () => {
  it('only the bureau admin imports divisions; a preview first, then the import', async () => {
    expect((await post('clerk', '/api/v1/divisions/import', upload('d.csv', DIVISIONS_CSV))).statusCode).toBe(403);
    const preview = await post('admin', '/api/v1/divisions/import', upload('d.csv', DIVISIONS_CSV, { dryRun: true }));
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, added: 4, unchanged: 2 });
    expect(preview.json().rows.filter((r: { change: string }) => r.change === 'add').map((r: { code: string }) => r.code)).toEqual(['513330002', '513330001001', '513330001002', '513330002001']);
    const done = await post('admin', '/api/v1/divisions/import', upload('d.csv', DIVISIONS_CSV));
    expect(done.statusCode).toBe(201);
    const list = await app.inject({ method: 'GET', url: '/api/v1/divisions?under=513330001', headers: as('station1') });
    expect(list.json().items.map((d: { code: string; nameBo: string | null }) => [d.code, d.nameBo])).toEqual([
      ['513330001', 'རྡོ་རྗེ་གདན།'], ['513330001001', 'གྲོང་ཚོ་དང་པོ།'], ['513330001002', null],
    ]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/divisions?under=513330002', headers: as('station1') })).statusCode).toBe(403);
  });

  it('a file with bad rows: 422 with each row; a file that unpacks too large: 413 FILE_TOO_LARGE, for rosters too', async () => {
    const bad = await post('admin', '/api/v1/divisions/import', upload('d.csv', 'code,name\n540102,城关区\n5133,x'));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().problems).toEqual([
      { row: 2, reason: 'code 540102 is outside your division 513330' },
      { row: 3, reason: 'code "5133" is not a 6, 9 or 12-digit division code (GB/T 2260)' },
    ]);
    const bomb = xlsxBomb(620_000);
    for (const [url, extra] of [
      ['/api/v1/divisions/import', {}],
      ['/api/v1/households/import', {}],
      ['/api/v1/rosters', { mode: 'add', department: 'civil_affairs', identity: 'minimum_living', from: '2025-01-01' }],
    ] as const) {
      const res = await post('admin', url, upload('bomb.xlsx', bomb, extra));
      expect(res.statusCode, url).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'file' });
    }
  });

  it('a station imports a register only for its own township', async () => {
    const file = registerCsv([{ household: 'S-1', id: idNumber(9300), village: '513330002001' }]);
    const res = await post('station1', '/api/v1/households/import', upload('r.csv', file));
    expect(res.statusCode).toBe(422);
    expect(res.json().problems[0].reason).toMatch(/village 513330002001 is outside your division 513330001/);
    const ok = await post('clerk', '/api/v1/households/import', upload('r.csv', registerCsv(REGISTER)));
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ householdsAdded: 3, personsAdded: 5 });
  });
});

describe('at the window', () => {
  let householdId = 0;
  let personId = 0;

  it('opens a household and adds its head; refuses a second head, a bad ID, someone registered already', async () => {
    const h = await post('station1', '/api/v1/console/households', { villageCode: '513330001002' });
    expect(h.statusCode).toBe(201);
    expect(h.json().code).toBe('513330001002-000001');
    householdId = h.json().id;
    const p = await post('station1', '/api/v1/console/persons', { householdId, idNumber: idNumber(9400), name: '尼玛', nameBo: 'ཉི་མ།', phone: '13900001234', relation: 'head' });
    expect(p.statusCode).toBe(201);
    personId = p.json().id;
    const second = await post('station1', '/api/v1/console/persons', { householdId, idNumber: idNumber(9401), name: '达瓦', relation: 'head' });
    expect([second.statusCode, second.json().error.code]).toEqual([409, 'HOUSEHOLD_HAS_HEAD']);
    const badId = await post('station1', '/api/v1/console/persons', { householdId, idNumber: '513330199001011230', name: '达瓦', relation: 'spouse' });
    expect([badId.statusCode, badId.json().error.field]).toEqual([400, 'idNumber']);
    const twice = await post('station1', '/api/v1/console/persons', { householdId, idNumber: idNumber(9001), name: '次仁多吉', relation: 'spouse' });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'PERSON_REGISTERED']);
    const notTibetan = await post('station1', '/api/v1/console/persons', { householdId, idNumber: idNumber(9402), name: '达瓦', nameBo: 'Dawa', relation: 'spouse' });
    expect([notTibetan.statusCode, notTibetan.json().error.field]).toEqual([400, 'nameBo']);
    const search = await app.inject({ method: 'GET', url: `/api/v1/console/persons?q=${idNumber(9400)}`, headers: as('station1') });
    expect(search.json().items).toHaveLength(1);
    expect(search.json().items[0]).toMatchObject({ id: personId, nameBo: 'ཉ****', householdCode: '513330001002-000001' });
  });

  it('edits name, phone and relation, moves a person to another household: audited before/after, masked in the audit view', async () => {
    const edit = await patch('station1', `/api/v1/console/persons/${personId}`, { name: '尼玛次仁', phone: '13900005678' });
    expect(edit.json()).toMatchObject({ changed: true });
    const same = await patch('station1', `/api/v1/console/persons/${personId}`, { name: '尼玛次仁' });
    expect(same.json()).toMatchObject({ changed: false });
    const [row] = await t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'person.update' AND entity_id = $1`, [String(personId)]);
    expect(row!.detail).toEqual({ via: 'window', before: { name: '尼玛', phone: '13900001234' }, after: { name: '尼玛次仁', phone: '13900005678' } });
    const view = await app.inject({ method: 'GET', url: '/api/v1/console/audit?action=person.update', headers: as('auditor') });
    const entry = view.json().items.find((i: { entityId: string }) => i.entityId === String(personId));
    expect(entry.detail).toEqual({ via: 'window', before: { name: '尼*', phone: '139****1234' }, after: { name: '尼***', phone: '139****5678' } });
    const [h1] = await t.db.query<{ id: number }>(`SELECT id FROM households WHERE code = 'H-001'`);
    const moved = await patch('station1', `/api/v1/console/persons/${personId}`, { householdId: h1!.id, relation: 'child' });
    expect(moved.json()).toMatchObject({ changed: true, householdCode: 'H-001', divisionCode: '513330001001' });
    const entryForm = await app.inject({ method: 'GET', url: `/api/v1/console/persons/${personId}/register`, headers: as('station1') });
    expect(entryForm.json()).toMatchObject({ name: '尼***', nameBo: 'ཉ****', relation: 'child', householdCode: 'H-001', hasPhone: true });
  });

  it('a member cannot take a head where one is; a village change moves the whole household', async () => {
    const [h1] = await t.db.query<{ id: number }>(`SELECT id FROM households WHERE code = 'H-001'`);
    const head = await patch('station1', `/api/v1/console/persons/${personId}`, { relation: 'head' });
    expect([head.statusCode, head.json().error.code]).toEqual([409, 'HOUSEHOLD_HAS_HEAD']);
    const village = await patch('station1', `/api/v1/console/persons/${personId}`, { villageCode: '513330001002' });
    expect([village.statusCode, village.json().error.code]).toEqual([409, 'MEMBER_OF_HOUSEHOLD']);
    const move = await patch('station1', `/api/v1/console/households/${h1!.id}`, { villageCode: '513330001002' });
    expect(move.statusCode).toBe(200);
    const members = await t.db.query<{ division_code: string }>('SELECT DISTINCT division_code FROM persons WHERE household_id = $1', [h1!.id]);
    expect(members).toEqual([{ division_code: '513330001002' }]);
  });

  it('outside the division, or without person.write: refused, nothing written', async () => {
    const [h3] = await t.db.query<{ id: number }>(`SELECT id FROM households WHERE code = 'H-003'`);
    const [other] = await t.db.query<{ id: number }>('SELECT id FROM persons WHERE id_number = $1', [idNumber(9005)]);
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!.n;
    expect((await patch('station1', `/api/v1/console/persons/${other!.id}`, { name: '改' })).statusCode).toBe(403);
    expect((await post('station1', '/api/v1/console/persons', { householdId: h3!.id, idNumber: idNumber(9410), name: '达瓦', relation: 'spouse' })).statusCode).toBe(403);
    expect((await post('station1', '/api/v1/console/households', { villageCode: '513330002001' })).statusCode).toBe(403);
    expect((await patch('station1', `/api/v1/console/persons/${personId}`, { householdId: h3!.id })).statusCode).toBe(403);
    expect((await patch('auditor', `/api/v1/console/persons/${personId}`, { name: '改' })).statusCode).toBe(403);
    expect((await patch('station1', `/api/v1/console/persons/${personId}`, { name: '' })).statusCode).toBe(400);
    expect((await patch('station1', `/api/v1/console/persons/${personId}`, { phone: '12' })).statusCode).toBe(400);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!.n).toBe(before);
  });
});
