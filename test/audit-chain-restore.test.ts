/** A backup restored puts the audit chains back as they were: they verify, and new rows chain on (the guards are on again). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup, writeBackup } from '../src/store/backup.ts';
import { audit } from '../src/store/repositories/audit.ts';
import { verifyAuditChain } from '../src/store/repositories/audit-chain.ts';
import { createTestDb, type TestDb } from './support/db.ts';

let source: TestDb;
let target: TestDb;
beforeAll(async () => {
  source = await createTestDb();
  target = await createTestDb();
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

async function* each(lines: string[]) {
  yield* lines;
}

describe('audit chains through a backup', () => {
  it('restore into an empty database and over one with data (--force), verify, and keep chaining', async () => {
    for (let i = 0; i < 6; i++) await audit(source.db, { actor: 'src', action: 'test', entity: 'thing', entityId: i, detail: { i } });
    const lines: string[] = [];
    await writeBackup(source.db, async (line) => void lines.push(line));
    const before = await verifyAuditChain(source.db);
    expect(before.ok).toBe(true);

    // The restored rows chain as they did, and the restore itself is audited as the chain's next entry.
    await restoreBackup(target.db, each(lines), { force: false });
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, rows: before.rows + 1 });
    await audit(target.db, { actor: 'after', action: 'test', entity: 'thing', entityId: 1 });
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, rows: before.rows + 2 });
    await expect(target.db.query(`DELETE FROM audit_log WHERE actor = 'after'`)).rejects.toThrow(/append-only/);

    await restoreBackup(target.db, each(lines), { force: true });
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, rows: before.rows + 1 });
    await expect(target.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });
});
