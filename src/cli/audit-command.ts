/** `sanbao audit verify`: checks the audit log's hash chain; exit 0 with the count, or 1 naming the first broken row. */
import { verifyAuditChain } from '../store/repositories/audit-chain.ts';
import { withDatabase } from './database.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar } from './progress.ts';

export async function auditCommand(io: Io, args: string[]): Promise<number> {
  if (args[0] !== 'verify' || args.length !== 1) throw new UsageError('usage: sanbao audit verify');
  return withDatabase(async (db) => {
    const progress = progressBar();
    const result = await verifyAuditChain(db, (done, total) => progress.update('audit verify', done, total));
    progress.finish();
    if (result.ok) {
      io.out(`audit log intact: ${result.rows} rows chained; fingerprint ${result.tipHash}`);
      return EXIT_OK;
    }
    const b = result.brokenAt;
    const where = b.id === null ? `the end of chain ${b.stream}` : `audit row ${b.id} (chain ${b.stream}, position ${b.chainSeq})`;
    io.err(`sanbao: audit log broken at ${where}: ${b.reason}`);
    return EXIT_FAILURE;
  });
}
