/** A backup held in memory, line by line, and read back as the restore reads a file. */
import { writeBackup } from '../../src/store/backup.ts';
import type { Db } from '../../src/store/db.ts';

/** The backup of db, its lines in order. */
export async function backupLines(db: Db): Promise<string[]> {
  const lines: string[] = [];
  await writeBackup(db, (line) => void lines.push(line));
  return lines;
}

/** The lines as the async stream checkBackup and restoreBackup read. */
export async function* each(list: readonly string[]): AsyncIterable<string> {
  yield* list;
}
