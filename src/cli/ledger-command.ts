/**
 * `sanbao ledger verify|balance|receive`: prove the books (exit 1 naming the
 * first difference), print the trial balance, record money received into a
 * fund from outside (a fiscal allocation, a department's transfer).
 */
import { formatYuan, parseYuan } from '../domain/money.ts';
import type { Db } from '../store/db.ts';
import { receiveIntoFund } from '../service/ledger-receipts.ts';
import { verifyLedger } from '../service/ledger-verify.ts';
import { options, required, yearOf } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError, type Io } from './io.ts';

const USAGE = 'sanbao ledger verify [--json] | balance [--json] | receive --fund F --kind finance|subsidy|transfer_in --amount YUAN --year Y --reference R [--department D]';

function using<T>(db: Db | undefined, fn: (db: Db) => Promise<T>): Promise<T> {
  return db ? fn(db) : withDatabase((d) => fn(d));
}

export async function ledgerCommand(io: Io, argv: string[], db?: Db): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'verify': {
      const { values, positionals } = options(rest, { json: { type: 'boolean' } }, USAGE);
      if (positionals.length > 0) throw new UsageError(`usage: ${USAGE}`);
      return using(db, async (d) => {
        const v = await verifyLedger(d);
        if (values.json) io.out(JSON.stringify(v, null, 2));
        else {
          io.out(`trial balance: ${v.trialBalance} fen`);
          for (const c of v.checks) io.out(`${c.name}: ${c.sources} events, source ${formatYuan(c.sourceTotal)} yuan, ledger ${formatYuan(c.ledgerTotal)} yuan`);
        }
        if (!v.ok) {
          io.err(`sanbao: ledger differs: ${v.firstDifference}`);
          return EXIT_FAILURE;
        }
        if (!values.json) io.out('the ledger balances and equals its sources');
        return EXIT_OK;
      });
    }
    case 'balance': {
      const { values, positionals } = options(rest, { json: { type: 'boolean' } }, USAGE);
      if (positionals.length > 0) throw new UsageError(`usage: ${USAGE}`);
      return using(db, async (d) => {
        const v = await verifyLedger(d);
        if (values.json) io.out(JSON.stringify(v.accounts, null, 2));
        else for (const a of v.accounts) io.out(`${a.account.padEnd(48)} ${formatYuan(a.debit).padStart(18)} ${formatYuan(a.credit).padStart(18)} ${formatYuan(a.balance).padStart(18)}`);
        return EXIT_OK;
      });
    }
    case 'receive': {
      const spec = { fund: { type: 'string' }, kind: { type: 'string' }, amount: { type: 'string' }, year: { type: 'string' }, reference: { type: 'string' }, department: { type: 'string' } } as const;
      const { values, positionals } = options(rest, spec, USAGE);
      if (positionals.length > 0) throw new UsageError(`usage: ${USAGE}`);
      const amount = parseYuan(required(values.amount, 'amount', USAGE));
      const request = {
        fund: required(values.fund, 'fund', USAGE), kind: required(values.kind, 'kind', USAGE), amount, year: yearOf(values.year, USAGE),
        reference: required(values.reference, 'reference', USAGE), department: values.department ?? null, actor: 'cli',
      };
      return using(db, async (d) => {
        const r = await receiveIntoFund(d, request);
        io.out(`${r.replayed ? 'already recorded' : 'recorded'}: ${formatYuan(amount)} yuan into ${request.fund} (${request.kind}), journal ${r.journalId}`);
        return EXIT_OK;
      });
    }
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
