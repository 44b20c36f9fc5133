/** Code lists imported into a real database: refused whole with rows named, idempotent, audited, listed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueRejected, importCatalogue, importShippedCatalogues, loadCatalogue } from '../src/service/catalogue-import.ts';
import { listCatalogueEntries } from '../src/store/repositories/catalogue-codes.ts';
import { createTestDb, type TestDb } from './support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.drop());

const csv = (...lines: string[]) => Buffer.from(['code,name_zh,name_en,valid_from,valid_to,flags', ...lines].join('\n'));
const count = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalogue_codes`))[0]!.n;

describe('catalogue import', () => {
  it('refuses a file with bad rows whole, naming each, and writes nothing', async () => {
    const bad = csv('I10.x00,高血压,,,,', 'I2X,坏,,,,', '36.06,不是诊断,,,,');
    const error = await importCatalogue(t.db, { kind: 'diagnoses', content: bad, format: 'csv', skipBadRows: false, actor: 't' }).catch((e) => e);
    expect(error).toBeInstanceOf(CatalogueRejected);
    expect(error.message).toMatch(/row 3 code: "I2X"/);
    expect(error.message).toMatch(/row 4 code: "36.06"/);
    expect(await count()).toBe(0);
  });

  it('imports the good rows with --skip-bad-rows, naming the others', async () => {
    const r = await importCatalogue(t.db, { kind: 'diagnoses', content: csv('I10.x00,高血压,,,,', 'I2X,坏,,,,'), format: 'csv', skipBadRows: true, actor: 't' });
    expect(r).toMatchObject({ rows: 1, added: 1, changed: 0 });
    expect(r.skipped.map((p) => p.row)).toEqual([3]);
  });

  it('imports the shipped lists; again changes nothing; a changed name is one change, audited', async () => {
    await importShippedCatalogues(t.db, 't');
    const diagnoses = await loadCatalogue(t.db, 'diagnoses');
    expect(diagnoses.get('Z37.000')?.flags).toEqual(['notPrincipal']);
    expect(diagnoses.get('I27.800x003')?.nameZh).toBe('高原性心脏病');
    expect((await loadCatalogue(t.db, 'procedures')).get('36.0700')?.flags).toEqual(['operating']);
    const before = await count();
    const audits = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'catalogue.import'`))[0]!.n;
    const a0 = await audits();
    await importShippedCatalogues(t.db, 't');
    expect(await count()).toBe(before);
    expect(await audits()).toBe(a0);
    const r = await importCatalogue(t.db, { kind: 'diagnoses', content: csv('I10.x00,原发性高血压,Essential hypertension,2019-01-01,,'), format: 'csv', skipBadRows: false, actor: 't' });
    expect(r).toMatchObject({ added: 0, changed: 1, unchanged: 0 });
    expect(await audits()).toBe(a0 + 1);
    expect((await listCatalogueEntries(t.db, 'diagnosis', { prefix: 'I10' }))[0]).toMatchObject({ nameZh: '原发性高血压', validFrom: '2019-01-01', validTo: null });
  });
});
