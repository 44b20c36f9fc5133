/** DRG group tables from files (YAML or JSON): the shipped illustrative one, or a bureau's official tables. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { invalid } from '../domain/errors.ts';
import { compileGroupTable, GroupTableError, type GroupTable } from '../domain/drg/table.ts';

export const SHIPPED_TABLE_DIR = resolve(fileURLToPath(new URL('../../drg/tables', import.meta.url)));
export const DEFAULT_TABLE = 'illustrative-2025';

/** Reads and checks a table file; a broken or overlapping table is refused with every problem named. */
export function readGroupTableFile(path: string): GroupTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw invalid('UNKNOWN_TABLE', `cannot read group table ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'table');
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw invalid('INVALID_TABLE', `group table ${path} is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, 'table');
  }
  try {
    return compileGroupTable(raw, path);
  } catch (error) {
    if (error instanceof GroupTableError) throw invalid('INVALID_TABLE', error.message, 'table');
    throw error;
  }
}

/** A table by the id of a shipped file (`illustrative-2025`) or by a path. */
export function groupTable(idOrPath: string = DEFAULT_TABLE, dir: string = SHIPPED_TABLE_DIR): GroupTable {
  if (/^[a-z0-9][a-z0-9-]{1,40}$/.test(idOrPath)) {
    const path = resolve(dir, `${idOrPath}.yaml`);
    if (existsSync(path)) return readGroupTableFile(path);
    if (!existsSync(idOrPath)) throw invalid('UNKNOWN_TABLE', `no group table "${idOrPath}" (shipped: ${DEFAULT_TABLE}; or give a file path)`, 'table');
  }
  return readGroupTableFile(idOrPath);
}
