/** The hospital (HIS) API: identify, pre-settle, settle, reverse, list. Thin: validate, call, present. */
import type { FastifyInstance } from 'fastify';
import {
  identify,
  listPersonSettlements,
  preSettle,
  reverseSettlement,
  type SettlementDeps,
} from '../../service/settlement-service.ts';
import { notFound } from '../../domain/errors.ts';
import { bureauYear } from '../../domain/bureau-time.ts';
import { settleBatcher, type SettleBatcherOptions } from '../../service/settle-batcher.ts';
import { DEFAULT_LIMITS, takeHit, type SecurityLimits } from '../../service/rate-limit.ts';
import { billOfSettlement } from '../../service/itemised-bill.ts';
import { findSettlementByTransaction } from '../../store/repositories/settlements.ts';
import { facilityAuthenticator } from '../auth.ts';
import { parseWith } from '../errors.ts';
import { fastSettleBody } from '../settle-body-fast.ts';
import { presentPatient, presentSettlement } from '../present.ts';
import { presentAdjustedSettlement, presentAdjustment } from '../present-adjustments.ts';
import { changeAdjustments, facilityAdjustments, reversalAdjustments, withAdjustments } from '../../service/adjusted-settlements.ts';
import { correctSettlement } from '../../service/settlement-correction.ts';
import { accountBalanceOf, accountPartOf } from '../../service/personal-account-pay.ts';
import { findPersonById } from '../../store/repositories/persons.ts';
import {
  adjustmentsQuerySchema,
  correctBodySchema,
  identifyBodySchema,
  listQuerySchema,
  preSettleBodySchema,
  reverseBodySchema,
  settleBodySchema,
  transactionIdParamsSchema,
} from '../schemas.ts';
import { missingSettlement } from '../../service/archived-settlement.ts';

export function hospitalRoutes(app: FastifyInstance, deps: SettlementDeps & { limits?: Partial<SecurityLimits>; settleBatch?: SettleBatcherOptions }): void {
  const facilityOf = facilityAuthenticator(deps.db);
  const personOf = (id: number) => findPersonById(deps.db, id);
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  // Group commit: settle requests arriving together share one transaction (src/service/settle-batch.ts).
  const settler = settleBatcher(deps, deps.settleBatch);

  app.post('/api/v1/identify', async (request) => {
    const facility = await facilityOf(request);
    // Counted before the body is read: a look-up refused as malformed still spends the allowance.
    await takeHit(deps.db, `identify:facility:${facility.id}`, limits.identifyPerFacility, 'IDENTIFY_RATE_LIMITED', 'too many patient look-ups from this facility; try again later');
    const body = parseWith(identifyBodySchema, request.body);
    // Without a year: the year of today's date in the bureau's time zone (Beijing time), whatever the server's zone.
    const year = body.year ?? bureauYear(new Date());
    const { person, enrollment, identities } = await identify(deps, facility, body.patient, year, body.purpose);
    return { ...presentPatient(person, enrollment, identities, year), accountBalance: await accountBalanceOf(deps.db, person) };
  });

  app.post('/api/v1/pre-settlements', async (request) => {
    const facility = await facilityOf(request);
    const body = parseWith(preSettleBodySchema, request.body);
    return preSettle(deps, facility, body);
  });

  app.post('/api/v1/settlements', async (request, reply) => {
    const facility = await facilityOf(request);
    // The common body checked by hand (zod's answer exactly); anything else, errors included, by zod.
    const body = fastSettleBody(request.body) ?? parseWith(settleBodySchema, request.body);
    const outcome = await settler.settle(facility, body);
    void reply.status(outcome.replayed ? 200 : 201);
    const bill = outcome.bill ?? (await billOfSettlement(deps.db, outcome.settlement.id));
    const patient = outcome.patient ?? (await personOf(outcome.settlement.person_id));
    const part = outcome.account ?? (await accountPartOf(deps.db, outcome.settlement.id, outcome.settlement.self_pay, patient));
    // The keys in one order whichever way the part was found, so a retry answers in the first answer's order.
    const balance = part.balance !== undefined || !patient ? part.balance : await accountBalanceOf(deps.db, patient);
    const account = { acctPay: part.acctPay, acctMulaidPay: part.acctMulaidPay, cashPay: part.cashPay, ...(balance !== undefined ? { balance } : {}), payments: part.payments };
    return { ...presentSettlement(outcome.settlement), replayed: outcome.replayed, alerts: outcome.alerts, ...bill, account };
  });

  app.get('/api/v1/settlements/:transactionId', async (request) => {
    const facility = await facilityOf(request);
    const transactionId = parseWith(transactionIdParamsSchema, request.params, 'params').transactionId;
    const row = await findSettlementByTransaction(deps.db, facility.id, transactionId);
    if (!row) throw await missingSettlement(deps.db, facility.id, transactionId, `no settlement ${transactionId} at this facility`);
    return { ...presentSettlement(row), ...(await billOfSettlement(deps.db, row.id)), account: await accountPartOf(deps.db, row.id, row.self_pay, await personOf(row.person_id)) };
  });

  app.post('/api/v1/settlements/:transactionId/reversal', async (request) => {
    const facility = await facilityOf(request);
    const transactionId = parseWith(transactionIdParamsSchema, request.params, 'params').transactionId;
    const body = parseWith(reverseBodySchema, request.body);
    const row = await reverseSettlement(deps, facility, transactionId, body.reversalId);
    const { entries, billsChanged } = await reversalAdjustments(deps.db, facility.id, row.id, body.reversalId);
    return { ...presentSettlement(row), readjudication: { billsChanged, adjustments: entries.map(presentAdjustment) } };
  });

  app.post('/api/v1/settlements/:transactionId/correction', async (request, reply) => {
    const facility = await facilityOf(request);
    const transactionId = parseWith(transactionIdParamsSchema, request.params, 'params').transactionId;
    const body = parseWith(correctBodySchema, request.body);
    const { settlement, replayed } = await correctSettlement(deps, facility, transactionId, body);
    const [adjusted] = await withAdjustments(deps.db, [settlement]);
    const { entries, billsChanged } = await changeAdjustments(deps.db, facility.id, settlement.id, 'correction', body.correctionId);
    void reply.status(replayed ? 200 : 201);
    return { ...presentAdjustedSettlement(adjusted!), replayed, readjudication: { billsChanged, adjustments: entries.map(presentAdjustment) } };
  });

  app.get('/api/v1/settlements', async (request) => {
    const facility = await facilityOf(request);
    const query = parseWith(listQuerySchema, request.query, 'query');
    const page = await listPersonSettlements(deps, facility, query);
    return {
      items: (await withAdjustments(deps.db, page.rows)).map(presentAdjustedSettlement),
      total: page.total, limit: query.limit, offset: query.offset,
      nextOffset: query.offset + page.rows.length < page.total ? query.offset + page.rows.length : null,
    };
  });

  app.get('/api/v1/adjustments', async (request) => {
    const facility = await facilityOf(request);
    const query = parseWith(adjustmentsQuerySchema, request.query, 'query');
    const rows = await facilityAdjustments(deps.db, facility.id, query.year, { limit: query.limit, offset: query.offset });
    return { items: rows.map(presentAdjustment) };
  });
}
