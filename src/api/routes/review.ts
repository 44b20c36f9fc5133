/**
 * Claim review (智能审核) for bureau reviewers: the queue of flags, decisions,
 * statistics per hospital and rule, the rules in force, a batch run; and for
 * hospitals, the flags sent back to them and their explanations.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';
import { notFound } from '../../domain/errors.ts';
import { RULE_IDS, ruleSet } from '../../domain/review/rules.ts';
import { runBatchReview } from '../../service/claim-review.ts';
import { decideFlag, explainFlag, requireFlagInDivision, setRule } from '../../service/review-queue.ts';
import type { Db } from '../../store/db.ts';
import { clearingDeductions, findFlag, flagStats, listFlags, loadRules, type FlagRow } from '../../store/repositories/review-flags.ts';
import { facilityAuthenticator } from '../auth.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const FLAG_STATUSES = ['open', 'accepted', 'deducted', 'returned', 'explained'] as const;

export const flagListQuery = z.strictObject({
  status: z.enum(FLAG_STATUSES).optional(),
  rule: z.enum(RULE_IDS).optional(),
  facilityId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  settlementId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const periodQuery = z.strictObject({ from: isoDateSchema, to: isoDateSchema, facilityId: z.coerce.number().int().positive().optional() });
export const decisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accept'), reason: z.string().trim().max(500).optional() }),
  z.strictObject({
    decision: z.literal('deduct'),
    amount: z.number({ invalid_type_error: 'must be an integer number of fen' }).int('must be an integer number of fen').positive('must be above 0 fen').max(100_000_000_000),
    reason: z.string().trim().min(1).max(500),
  }),
  z.strictObject({ decision: z.literal('return'), reason: z.string().trim().min(1).max(500) }),
]);
export const explanationBody = z.strictObject({ explanation: z.string().trim().min(1).max(2_000) });
export const ruleBody = z.strictObject({
  enabled: z.boolean(),
  params: z.strictObject({ days: z.number().int().optional(), sameFacility: z.boolean().optional(), maxPerDay: z.number().int().optional() }).default({}),
});
export const batchBody = z.strictObject({ from: isoDateSchema, to: isoDateSchema });

export function presentFlag(f: FlagRow) {
  return {
    id: f.id, rule: f.rule, settlementId: f.settlement_id, transactionId: f.transaction_id, facility: { id: f.facility_id, code: f.facility_code, name: f.facility_name },
    personId: f.person_id, visitDate: f.visit_date, lineIndex: f.line_no, relatedSettlementId: f.related_settlement_id, amount: Number(f.amount_fen),
    fundsPaid: Number(f.funds_fen), message: f.message, source: f.source, status: f.status, deducted: f.deduct_fen === null ? null : Number(f.deduct_fen),
    reason: f.reason, explanation: f.explanation, decidedBy: f.decided_by, decidedAt: f.decided_at ? new Date(f.decided_at).toISOString() : null,
    createdAt: new Date(f.created_at).toISOString(),
  };
}

export function reviewRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  const facilityOf = facilityAuthenticator(db);

  app.get('/api/v1/review/flags', async (request) => {
    const staff = await requireStaff(db, request, 'review.read');
    const query = parseWith(flagListQuery, request.query, 'query');
    return { items: (await listFlags(db, { ...query, divisionPrefix: staff.divisionCode })).map(presentFlag) };
  });

  app.post('/api/v1/review/flags/:id/decision', async (request) => {
    const staff = await requireStaff(db, request, 'review.decide');
    const { id } = parseWith(idParam, request.params, 'params');
    const flag = await findFlag(db, id);
    if (!flag) throw notFound('UNKNOWN_FLAG', `no review flag ${id}`, 'id');
    requireFlagInDivision(flag, staff.divisionCode);
    const body = parseWith(decisionBody, request.body);
    return presentFlag(await decideFlag(db, `staff:${staff.username}`, id, body));
  });

  app.get('/api/v1/review/stats', async (request) => {
    const staff = await requireStaff(db, request, 'review.read');
    const query = parseWith(periodQuery.partial(), request.query, 'query');
    const rows = await flagStats(db, { divisionPrefix: staff.divisionCode, from: query.from, to: query.to });
    return {
      items: rows.map((r) => ({ facility: { id: r.facility_id, code: r.facility_code, name: r.facility_name }, rule: r.rule, flags: r.flags, open: r.open, amount: r.amount_fen, deducted: r.deducted_fen })),
    };
  });

  app.get('/api/v1/review/clearing', async (request) => {
    await requireStaff(db, request, 'review.read');
    const query = parseWith(periodQuery, request.query, 'query');
    const rows = await clearingDeductions(db, query);
    return { from: query.from, to: query.to, items: rows.map((r) => ({ facility: { id: r.facility_id, code: r.facility_code }, flags: r.flags, deducted: r.deducted_fen })) };
  });

  app.get('/api/v1/review/rules', async (request) => {
    await requireStaff(db, request, 'review.read');
    return { items: [...ruleSet(await loadRules(db)).values()] };
  });

  app.put('/api/v1/review/rules/:id', async (request) => {
    const staff = await requireStaff(db, request, 'catalogue.admin');
    const { id } = parseWith(z.object({ id: z.string().max(64) }), request.params, 'params');
    const body = parseWith(ruleBody, request.body);
    return setRule(db, `staff:${staff.username}`, id, body);
  });

  app.post('/api/v1/review/runs', async (request) => {
    const staff = await requireStaff(db, request, 'review.decide');
    const body = parseWith(batchBody, request.body);
    return runBatchReview(db, { ...body, actor: `staff:${staff.username}` });
  });

  // Hospitals: the flags on their settlements (e.g. those sent back), and their explanation.
  app.get('/api/v1/review-flags', async (request) => {
    const facility = await facilityOf(request);
    const query = parseWith(flagListQuery.omit({ facilityId: true }), request.query, 'query');
    return { items: (await listFlags(db, { ...query, facilityId: facility.id })).map(presentFlag) };
  });

  app.post('/api/v1/review-flags/:id/explanation', async (request) => {
    const facility = await facilityOf(request);
    const { id } = parseWith(idParam, request.params, 'params');
    const body = parseWith(explanationBody, request.body);
    return presentFlag(await explainFlag(db, facility, id, body.explanation));
  });
}
