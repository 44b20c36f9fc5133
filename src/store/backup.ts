/**
 * A restorable dump of every table, in a format of our own (the embedded
 * binaries ship no pg_dump): JSON lines — a header naming the format, the server
 * and the migrations applied; each table's columns, its rows (row_to_json, read
 * through a cursor in one REPEATABLE READ snapshot) and its row count; the
 * sequences; a trailer with the totals and the SHA-256 of every line before it.
 * A restore checks the whole file first, then writes it in one transaction.
 * The same text runs on PostgreSQL, the embedded server and PGlite.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db.ts';
import { audit } from './repositories/audit.ts';
import { createRangePartitions } from './repositories/settlement-partitions.ts';

export const BACKUP_FORMAT = 1;
const FETCH = 2_000;

export class BackupFileError extends Error {
  override readonly name = 'BackupFileError';
}

export interface BackupHeader {
  readonly sanbao: 'backup';
  readonly format: number;
  readonly createdAt: string;
  readonly server: string;
  readonly migrations: string[];
  readonly tables: string[];
}

interface TableStart {
  readonly table: string;
  readonly columns: string[];
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The migrations applied: recorded in the header, never restored (the target's own schema decides). */
const KEPT_BY_THE_DATABASE = ['schema_migrations'];

/** The audit log goes out in chain order, so a backup reads like the chain it holds. */
const ORDER_BY: Record<string, string> = { audit_log: 'chain_seq' };

/**
 * The id ranges of the partitioned settlement tables go first: a restore makes
 * each year's partitions from them before the settlements come.
 */
const FIRST = ['settlement_id_ranges'];

/**
 * The schema's tables, parents before the tables that refer to them. A
 * partitioned table is one table here (its rows read and written through it,
 * routed to its partitions); its partitions are not listed apart.
 */
async function tablesInOrder(q: Queryable): Promise<string[]> {
  const tables = (
    await q.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
    )
  )
    .map((r) => r.name)
    .filter((t) => !KEPT_BY_THE_DATABASE.includes(t))
    .sort((a, b) => Number(FIRST.includes(b)) - Number(FIRST.includes(a)));
  const edges = await q.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k
       JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = k.connamespace
      WHERE k.contype = 'f' AND n.nspname = current_schema() AND ch.relname <> pa.relname AND NOT ch.relispartition AND NOT pa.relispartition`,
  );
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (t: string) => {
    if (ordered.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const e of edges) if (e.child === t) visit(e.parent);
    ordered.push(t);
  };
  tables.forEach(visit);
  return ordered;
}

async function columnsOf(q: Queryable, table: string): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1)
        AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
    [table],
  );
  return rows.map((r) => r.name);
}

/** Writes the backup line by line (each without its newline); returns the row count. */
export async function writeBackup(db: Db, write: (line: string) => Promise<void> | void, onTable?: (done: number, of: number) => void): Promise<number> {
  const hash = createHash('sha256');
  const emit = async (value: unknown) => {
    const line = typeof value === 'string' ? value : JSON.stringify(value);
    hash.update(`${line}\n`);
    await write(line);
  };
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const tables = await tablesInOrder(tx);
    const migrations = (await tx.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
    const [{ server }] = (await tx.query<{ server: string }>('SELECT version() AS server')) as [{ server: string }];
    const header: BackupHeader = { sanbao: 'backup', format: BACKUP_FORMAT, createdAt: new Date().toISOString(), server, migrations, tables };
    await emit(header);
    let total = 0;
    for (const table of tables) {
      const columns = await columnsOf(tx, table);
      await emit({ table, columns } satisfies TableStart);
      const list = columns.map(ident).join(', ');
      const order = ORDER_BY[table] && columns.includes(ORDER_BY[table]) ? ` ORDER BY ${ident(ORDER_BY[table])}` : '';
      await tx.query(`DECLARE sanbao_backup NO SCROLL CURSOR FOR SELECT row_to_json(r)::text AS j FROM (SELECT ${list} FROM ${ident(table)}${order}) r`);
      let rows = 0;
      for (;;) {
        const batch = await tx.query<{ j: string }>(`FETCH FORWARD ${FETCH} FROM sanbao_backup`);
        for (const r of batch) await emit(r.j);
        rows += batch.length;
        if (batch.length < FETCH) break;
      }
      await tx.query('CLOSE sanbao_backup');
      await emit({ endTable: table, rows });
      onTable?.(tables.indexOf(table) + 1, tables.length);
      total += rows;
    }
    const sequences = await tx.query<{ name: string; value: string | null }>(
      `SELECT sequencename AS name, last_value::text AS value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY sequencename`,
    );
    await emit({ sequences: Object.fromEntries(sequences.map((s) => [s.name, s.value])) });
    await write(JSON.stringify({ complete: true, tables: tables.length, rows: total, sha256: hash.digest('hex') }));
    return total;
  });
}

function parseLine(line: string, n: number): Record<string, unknown> {
  try {
    const value = JSON.parse(line) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BackupFileError(`line ${n} is not valid backup data`);
}

/** Reads a whole backup once without writing anything: its header, or the first problem. */
export async function checkBackup(lines: AsyncIterable<string>): Promise<BackupHeader & { rows: number }> {
  const hash = createHash('sha256');
  let header: BackupHeader | undefined;
  let trailer: Record<string, unknown> | undefined;
  let n = 0;
  let rows = 0;
  let current: string | undefined;
  let inTable = 0;
  for await (const line of lines) {
    n++;
    if (trailer) throw new BackupFileError(`data after the end of the backup (line ${n})`);
    if (n === 1) {
      const h = parseLine(line, n);
      if (h.sanbao !== 'backup') throw new BackupFileError('not a Sanbao backup (no backup header on its first line)');
      if (h.format !== BACKUP_FORMAT) throw new BackupFileError(`backup format ${String(h.format)} is not one this Sanbao reads (${BACKUP_FORMAT})`);
      header = h as unknown as BackupHeader;
    } else if (line.startsWith('{"complete"')) {
      trailer = parseLine(line, n);
      continue;
    } else if (current === undefined) {
      const v = parseLine(line, n);
      if (typeof v.table === 'string') current = v.table;
      else if (!('sequences' in v)) throw new BackupFileError(`line ${n} is not valid backup data`);
    } else if (line.startsWith('{"endTable"')) {
      const v = parseLine(line, n);
      if (v.endTable !== current || v.rows !== inTable) throw new BackupFileError(`table ${current} ends with ${String(v.rows)} rows, the file holds ${inTable}`);
      rows += inTable;
      current = undefined;
      inTable = 0;
    } else {
      inTable++;
    }
    hash.update(`${line}\n`);
  }
  if (!header) throw new BackupFileError('the file is empty');
  if (!trailer || current !== undefined) throw new BackupFileError('the backup is incomplete (truncated: no end line)');
  if (trailer.sha256 !== hash.digest('hex') || trailer.rows !== rows) throw new BackupFileError('the backup is corrupt (its checksum does not match its content)');
  return { ...header, rows };
}

/** Tables whose rows the migrations themselves write (the audit chain's starting tips, the claim-review rules): not data a backup could clash with. */
const WRITTEN_BY_MIGRATIONS = new Set(['audit_chain_tip', 'review_rules']);

/**
 * What a service writes on its own at its first start on an empty database — the
 * first set-up token, the monthly monitoring run it schedules (and runs over
 * nobody), and their audit rows: no county data. A restore replaces them like the
 * rest, so a new server that was started once before its restore counts as empty.
 */
const WRITTEN_AT_FIRST_START = new Set(['staff_setup_tokens', 'monitoring_jobs', 'monitoring_runs']);
const AUDITED_AT_FIRST_START = ['staff.setup_token', 'monitoring.run'];

/** True when any table holds a row but schema_migrations, the migrations' own rows and what a first start writes. */
export async function databaseHoldsData(q: Queryable): Promise<boolean> {
  for (const table of await tablesInOrder(q)) {
    if (WRITTEN_BY_MIGRATIONS.has(table) || WRITTEN_AT_FIRST_START.has(table)) continue;
    const sql = table === 'audit_log' ? 'SELECT 1 FROM audit_log WHERE action <> ALL($1::text[]) LIMIT 1' : `SELECT 1 FROM ${ident(table)} LIMIT 1`;
    if ((await q.query(sql, table === 'audit_log' ? [AUDITED_AT_FIRST_START] : [])).length > 0) return true;
  }
  return false;
}

/**
 * Restores a checked backup in one transaction: refuses a backup from a newer
 * schema, empties the tables first when `force` (else refuses a database with data).
 */
export async function restoreBackup(
  db: Db,
  lines: AsyncIterable<string>,
  options: { force: boolean; onTable?: (table: string, rows: number) => void },
): Promise<number> {
  return db.transaction(async (tx) => {
    const known = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
    const tables = await tablesInOrder(tx);
    if (!options.force && (await databaseHoldsData(tx))) {
      throw new BackupFileError('the database already holds data: restore only into an empty one, or add --force to replace everything in it');
    }
    // Rows come back exactly as they were backed up: the tables' own triggers (the audit log's hash chain
    // and its append-only guard) stay off until the end of this transaction, and what the migrations wrote goes.
    for (const t of tables) await tx.query(`ALTER TABLE ${ident(t)} DISABLE TRIGGER USER`);
    await tx.query(`TRUNCATE ${tables.map(ident).join(', ')} RESTART IDENTITY CASCADE`);
    let table: TableStart | undefined;
    let batch: string[] = [];
    let total = 0;
    let inTable = 0;
    let selfReferring = false;
    const flush = async () => {
      if (!table || batch.length === 0) return;
      const list = table.columns.map(ident).join(', ');
      await tx.query(`INSERT INTO ${ident(table.table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${ident(table.table)}, $1::json)`, [`[${batch.join(',')}]`]);
      inTable += batch.length;
      batch = [];
    };
    let n = 0;
    let header: BackupHeader | undefined;
    for await (const line of lines) {
      n++;
      if (n === 1) {
        header = JSON.parse(line) as BackupHeader;
        const newer = header.migrations.find((m) => !known.has(m));
        if (newer) throw new BackupFileError(`the backup comes from a newer Sanbao (migration ${newer}): upgrade this one first`);
      } else if (line.startsWith('{"complete"')) {
        break;
      } else if (table === undefined) {
        const v = JSON.parse(line) as Partial<TableStart> & { sequences?: Record<string, string | null> };
        if (v.sequences) {
          for (const [name, value] of Object.entries(v.sequences)) {
            await tx.query(`SELECT setval(format('%I.%I', current_schema(), $1::text)::regclass, $2::bigint, $3::boolean)`, [name, value ?? '1', value !== null]);
          }
          continue;
        }
        if (!tables.includes(v.table!)) throw new BackupFileError(`the backup holds a table this Sanbao does not have (${v.table})`);
        const columns = await columnsOf(tx, v.table!);
        const missing = v.columns!.find((c) => !columns.includes(c));
        if (missing) throw new BackupFileError(`the backup's table ${v.table} has a column this Sanbao does not have (${missing})`);
        table = { table: v.table!, columns: v.columns! };
        selfReferring = (await tx.query(
          `SELECT 1 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace s ON s.oid = c.relnamespace
            WHERE k.contype = 'f' AND k.conrelid = k.confrelid AND s.nspname = current_schema() AND c.relname = $1`,
          [table.table],
        )).length > 0;
      } else if (line.startsWith('{"endTable"')) {
        await flush();
        // The years' partitions, before any settlement of theirs is written.
        if (table.table === 'settlement_id_ranges') await createRangePartitions(tx);
        options.onTable?.(table.table, inTable);
        total += inTable;
        table = undefined;
        inTable = 0;
      } else {
        batch.push(line);
        // A table that refers to itself goes in one statement: its foreign keys are checked at the statement's end.
        if (!selfReferring && batch.length >= FETCH) await flush();
      }
    }
    for (const t of tables) await tx.query(`ALTER TABLE ${ident(t)} ENABLE TRIGGER USER`);
    // The restore is audited in the restored chain (the triggers on again): what was restored, from when.
    await audit(tx, {
      actor: 'cli',
      action: 'database.restore',
      entity: 'database',
      entityId: header?.createdAt ?? 'unknown',
      detail: { backupMadeAt: header?.createdAt, server: header?.server, rows: total, force: options.force },
    });
    return total;
  });
}
