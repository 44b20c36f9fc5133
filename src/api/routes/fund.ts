/** The fund's routes (issue 14): reconciliation, clearing, assistance payouts, the ledger and fund reports. */
import type { FastifyInstance } from 'fastify';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import type { Db } from '../../store/db.ts';
import type { BankKey } from '../../service/bank-account-crypto.ts';
import { clearingRoutes } from './clearing.ts';
import { payoutRoutes } from './payouts.ts';
import { reconciliationRoutes } from './reconciliation.ts';

export interface FundRouteDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
  /** Encrypts and opens bank account numbers (SANBAO_BANK_KEY); absent: bank features answer 503. */
  readonly bankKey?: BankKey | undefined;
  /** Today in China (tests set it to clear a month that is over). */
  readonly today?: (() => string) | undefined;
}

export function fundRoutes(app: FastifyInstance, deps: FundRouteDeps): void {
  reconciliationRoutes(app, deps);
  clearingRoutes(app, deps);
  payoutRoutes(app, deps);
}
