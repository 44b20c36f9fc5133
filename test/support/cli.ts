/**
 * The database a CLI test's commands open, and running a command in-process.
 * The CLI opens what the environment names (src/cli/database.ts): DATABASE_URL,
 * or the embedded PostgreSQL in SANBAO_DATA_DIR. Here that is a fresh schema on
 * the CI PostgreSQL when SANBAO_TEST_DATABASE_URL is set, otherwise an embedded
 * server in a new folder of its own — removed, with the schema, when the file ends.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportError, type Io } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { createTestDb, type TestDb } from './db.ts';

/** A new temporary folder for a CLI test's files and embedded data. */
export function cliTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755); // run as root, the embedded PostgreSQL's own user must pass through to data/
  return dir;
}

/** Points the CLI at `url` when there is one, else at the embedded PostgreSQL in dir/data. */
export function pointCliAt(url: string | undefined, dir: string): void {
  if (url) {
    process.env.DATABASE_URL = url;
  } else {
    delete process.env.DATABASE_URL;
    process.env.SANBAO_DATA_DIR = join(dir, 'data');
  }
}

/** The CLI's database for a test file: a new PostgreSQL schema in CI (returned, to drop), the embedded server in dir otherwise. */
export async function openCliDatabase(dir: string): Promise<TestDb | undefined> {
  const t = process.env.SANBAO_TEST_DATABASE_URL ? await createTestDb() : undefined;
  pointCliAt(t?.url, dir);
  return t;
}

/** Drops the schema (if any) and removes the test's folder. */
export async function closeCliDatabase(t: TestDb | undefined, dir: string): Promise<void> {
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
}

export interface CliRun {
  code: number;
  /** stdout, lines joined with \n. */
  out: string;
  /** stderr, one entry per line written. */
  err: string[];
}

/** An Io that keeps what is written: stdout's lines in `out`, stderr's in `err`; stdin empty. */
export function memoryIo(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdin: async () => '', out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

/** Runs one command's function as main would: an error it throws is reported on io (exit code 2, one line). */
export async function runCommand(io: Io, command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    return reportError(error, io);
  }
}

/** Runs `sanbao argv…` in this process with stdin empty. */
export async function runCli(...argv: string[]): Promise<CliRun> {
  const { io, out, err } = memoryIo();
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err };
}
