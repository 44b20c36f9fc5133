/** `sanbao db stats`: bytes per table and per settlement, so a prefecture sees what a year of bills will cost on disk. */
import { dbStats } from '../store/repositories/db-stats.ts';
import { options } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

const USAGE = 'sanbao db stats [--json]';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export async function dbCommand(io: Io, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'stats') throw new UsageError(`usage: ${USAGE}`);
  const { values } = options(rest, { json: { type: 'boolean' } }, USAGE);
  const stats = await withDatabase((db) => dbStats(db));
  if (values.json) {
    io.out(JSON.stringify(stats));
    return EXIT_OK;
  }
  io.out(`settlements: ${stats.settlements}`);
  io.out(`bytes per settlement: ${stats.bytesPerSettlement ?? '–'} (visits, settlements, funds, bills and lines, indexes included); steps: ${stats.stepsBytesPerSettlement ?? '–'} bytes on average`);
  io.out(`${'table'.padEnd(28)} ${'rows'.padStart(10)} ${'total'.padStart(10)} ${'indexes'.padStart(10)}`);
  for (const t of stats.tables.filter((x) => x.bytes > 0)) {
    io.out(`${t.table.padEnd(28)} ${String(t.rows).padStart(10)} ${kb(t.bytes).padStart(10)} ${kb(t.indexBytes).padStart(10)}`);
  }
  return EXIT_OK;
}
