/** The hospital (HIS) API: identify, pre-settle, settle, reverse, list. Thin: validate, call, present. */
import type { FastifyInstance } from 'fastify';
import {
  identify,
  listPersonSettlements,
  preSettle,
  reverseSettlement,
  settleBill,
  type SettlementDeps,
} from '../../service/settlement-service.ts';
import { notFound } from '../../domain/errors.ts';
import { billOfSettlement } from '../../service/itemised-bill.ts';
import { findSettlementByTransaction } from '../../store/repositories/settlements.ts';
import { facilityAuthenticator } from '../auth.ts';
import { parseWith } from '../errors.ts';
import { presentPatient, presentSettlement } from '../present.ts';
import {
  identifyBodySchema,
  listQuerySchema,
  preSettleBodySchema,
  reverseBodySchema,
  settleBodySchema,
  transactionIdSchema,
} from '../schemas.ts';

export function hospitalRoutes(app: FastifyInstance, deps: SettlementDeps): void {
  const facilityOf = facilityAuthenticator(deps.db);

  app.post('/api/v1/identify', async (request) => {
    await facilityOf(request);
    const body = parseWith(identifyBodySchema, request.body);
    const year = body.year ?? new Date().getFullYear();
    const { person, enrollment, identities } = await identify(deps, body.patient, year);
    return presentPatient(person, enrollment, identities, year);
  });

  app.post('/api/v1/pre-settlements', async (request) => {
    const facility = await facilityOf(request);
    const body = parseWith(preSettleBodySchema, request.body);
    return preSettle(deps, facility, body);
  });

  app.post('/api/v1/settlements', async (request, reply) => {
    const facility = await facilityOf(request);
    const body = parseWith(settleBodySchema, request.body);
    const outcome = await settleBill(deps, facility, body);
    void reply.status(outcome.replayed ? 200 : 201);
    const bill = outcome.bill ?? (await billOfSettlement(deps.db, outcome.settlement.id));
    return { ...presentSettlement(outcome.settlement), replayed: outcome.replayed, alerts: outcome.alerts, ...bill };
  });

  app.get('/api/v1/settlements/:transactionId', async (request) => {
    const facility = await facilityOf(request);
    const transactionId = parseWith(transactionIdSchema, (request.params as { transactionId: string }).transactionId, 'params');
    const row = await findSettlementByTransaction(deps.db, facility.id, transactionId);
    if (!row) throw notFound('UNKNOWN_SETTLEMENT', `no settlement ${transactionId} at this facility`, 'transactionId');
    return { ...presentSettlement(row), ...(await billOfSettlement(deps.db, row.id)) };
  });

  app.post('/api/v1/settlements/:transactionId/reversal', async (request) => {
    const facility = await facilityOf(request);
    const transactionId = parseWith(transactionIdSchema, (request.params as { transactionId: string }).transactionId, 'params');
    const body = parseWith(reverseBodySchema, request.body);
    return presentSettlement(await reverseSettlement(deps, facility, transactionId, body.reversalId));
  });

  app.get('/api/v1/settlements', async (request) => {
    const facility = await facilityOf(request);
    const query = parseWith(listQuerySchema, request.query, 'query');
    const rows = await listPersonSettlements(deps, facility, query.personId, query.year);
    return { items: rows.map(presentSettlement) };
  });
}
