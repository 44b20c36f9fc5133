/** The fund's routes (issue 14): reconciliation, clearing, assistance payouts, the ledger and fund reports. */
import type { FastifyInstance } from 'fastify';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import type { Db } from '../../store/db.ts';
import { reconciliationRoutes } from './reconciliation.ts';

export interface FundRouteDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
}

export function fundRoutes(app: FastifyInstance, deps: FundRouteDeps): void {
  reconciliationRoutes(app, deps);
}
