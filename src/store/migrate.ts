/**
 * Forward-only migrations, applied at start-up in one transaction under an
 * advisory lock, so two starting servers never race. Files are named by
 * timestamp (YYYYMMDDHHMM-what.sql) and applied in name order, once each.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';
import { lockInSchema } from './schema-locks.ts';

const MIGRATION_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export async function migrate(db: Db, dir: string = MIGRATION_DIR): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return db.transaction(async (tx) => {
    await lockInSchema(tx, 'migrations'); // two starting servers on one schema never race; other schemas migrate meanwhile
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = readFileSync(join(dir, file), 'utf8');
      // One statement at a time: PGlite runs parameterless scripts only outside a transaction.
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}

/** Splits a script at semicolons that end a line, outside $$-quoted bodies. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    const trimmed = line.trim();
    if (!inDollar && (trimmed.startsWith('--') || trimmed === '')) {
      if (current) current += '\n';
      continue;
    }
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inDollar = !inDollar;
    current += `${line}\n`;
    if (!inDollar && trimmed.endsWith(';')) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
