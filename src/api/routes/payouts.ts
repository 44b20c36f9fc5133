/** Assistance payout routes (maker-checker) and the ledger's read-outs for staff. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { approvePayout, confirmPayout, payoutsFor, preparePayout, reissuePayout, returnPayout } from '../../service/assistance-payouts.ts';
import { verifyLedger } from '../../service/ledger-verify.ts';
import { listJournals } from '../../store/repositories/ledger.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';
import type { FundRouteDeps } from './fund.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const payoutListQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'sent', 'paid', 'returned']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const prepareBody = z.strictObject({
  source: z.enum(['application', 'exception']),
  sourceId: z.number().int().positive(),
  accountNumber: z.string().max(40),
  bankName: z.string().max(100),
});
export const returnBody = z.strictObject({ reason: z.string().max(500) });
export const reissueBody = z.strictObject({ accountNumber: z.string().max(40).optional(), bankName: z.string().max(100).optional() });
export const journalQuery = z.strictObject({
  kind: z.string().max(40).optional(),
  facilityId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function payoutRoutes(app: FastifyInstance, deps: FundRouteDeps): void {
  const { db } = deps;

  app.get('/api/v1/fund/payouts', async (request) => {
    const staff = await requireStaff(db, request, 'payout.manage');
    return { items: await payoutsFor(db, staff, parseWith(payoutListQuery, request.query, 'query')) };
  });
  app.post('/api/v1/fund/payouts', async (request, reply) => {
    const staff = await requireStaff(db, request, 'payout.manage');
    return reply.status(201).send(await preparePayout(db, deps.bankKey, staff, parseWith(prepareBody, request.body)));
  });
  app.post('/api/v1/fund/payouts/:id/approve', async (request) => {
    const staff = await requireStaff(db, request, 'payout.manage');
    return approvePayout(db, staff, parseWith(idParam, request.params, 'params').id);
  });
  app.post('/api/v1/fund/payouts/:id/paid', async (request) => {
    const staff = await requireStaff(db, request, 'payout.manage');
    return confirmPayout(db, staff, parseWith(idParam, request.params, 'params').id);
  });
  app.post('/api/v1/fund/payouts/:id/returned', async (request) => {
    const staff = await requireStaff(db, request, 'payout.manage');
    const { reason } = parseWith(returnBody, request.body);
    return returnPayout(db, staff, parseWith(idParam, request.params, 'params').id, reason);
  });
  app.post('/api/v1/fund/payouts/:id/reissue', async (request, reply) => {
    const staff = await requireStaff(db, request, 'payout.manage');
    const body = parseWith(reissueBody, request.body);
    return reply.status(201).send(await reissuePayout(db, deps.bankKey, staff, parseWith(idParam, request.params, 'params').id, body));
  });

  app.get('/api/v1/fund/ledger/verify', async (request) => {
    await requireStaff(db, request, 'reports.read');
    const v = await verifyLedger(db);
    return { ok: v.ok, trialBalance: v.trialBalance, byFund: v.byFund, firstDifference: v.firstDifference, checks: v.checks, accounts: v.accounts };
  });
  app.get('/api/v1/fund/ledger/journals', async (request) => {
    await requireStaff(db, request, 'reports.read');
    const items = await listJournals(db, parseWith(journalQuery, request.query, 'query'));
    return { items: items.map((j) => ({ ...j, posted_at: new Date(j.posted_at).toISOString() })) };
  });
}
