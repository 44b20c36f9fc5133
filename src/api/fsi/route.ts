/**
 * POST /fsi/api/rsfComIfsService/callService — the path every HIS already
 * calls. Thin: authenticate the facility by its key, check the envelope
 * (fixmedins_code is the key's facility, the msgid carries it, a sign-in
 * for all but 9001), answer a retried msgid with its first answer, else run
 * the transaction and record its answer. An error answers infcode -1 with
 * err_msg naming the field (and Sanbao's error beside it), HTTP 4xx, and
 * writes nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, invalid, unprocessable } from '../../domain/errors.ts';
import { drgContext } from '../../service/drg-catalogues.ts';
import { earlierAnswer, fsiRequestHash, recordAnswer, requireSignIn } from '../../service/fsi/fsi-messages.ts';
import { facilityAuthenticator } from '../auth.ts';
import { loggableError } from '../errors.ts';
import type { FsiDeps } from './call.ts';
import { TRANSACTIONS } from './dictionary.ts';
import { envelopeSchema, failure, success, type FsiResponse } from './envelope.ts';
import { HANDLERS } from './transactions/index.ts';
import { fsiConsoleRoutes } from './console-route.ts';

export const FSI_PATH = '/fsi/api/rsfComIfsService/callService';

const STATUS = { invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, unprocessable: 422, too_large: 413, rate_limited: 429, unavailable: 503 } as const;

export function fsiRoutes(app: FastifyInstance, given: FsiDeps): void {
  const deps: FsiDeps = { ...given, drg: given.drg ?? drgContext(given.db) };
  const facilityOf = facilityAuthenticator(deps.db);
  fsiConsoleRoutes(app, deps);

  app.post(FSI_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const received = new Date();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const area = typeof body.mdtrtarea_admvs === 'string' && /^\d{6}$/.test(body.mdtrtarea_admvs) ? body.mdtrtarea_admvs : '000000';
    try {
      const facility = await facilityOf(request);
      const parsed = envelopeSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw invalid('INVALID_ENVELOPE', issue.message, issue.path.join('.') || 'envelope');
      }
      const envelope = parsed.data;
      if (envelope.fixmedins_code !== facility.code) {
        throw unprocessable('FIXMEDINS_MISMATCH', `is not the code of the facility this key belongs to (${facility.code})`, 'fixmedins_code');
      }
      if (!envelope.msgid.startsWith(envelope.fixmedins_code)) throw invalid('INVALID_MSGID', 'must begin with fixmedins_code', 'msgid');
      // The treatment area is where the facility is: a HIS set up for another county is told so, not settled there.
      if (envelope.mdtrtarea_admvs !== facility.division_code.slice(0, 6)) {
        throw unprocessable('MDTRTAREA_MISMATCH', `is not the facility's area (${facility.division_code.slice(0, 6)})`, 'mdtrtarea_admvs');
      }
      const handler = HANDLERS[envelope.infno as keyof typeof TRANSACTIONS];
      if (!handler) throw invalid('UNKNOWN_INFNO', `transaction ${envelope.infno} is not one Sanbao answers (${Object.keys(HANDLERS).join(', ')})`, 'infno');
      const hash = fsiRequestHash(envelope);
      const first = await earlierAnswer(deps.db, facility, envelope.msgid, hash);
      if (first) return first;
      if (envelope.infno !== '9001') await requireSignIn(deps.db, facility, envelope.sign_no);
      const output = await handler({ deps, facility, envelope, received });
      const answer = success(envelope.mdtrtarea_admvs, received, output);
      return await recordAnswer(deps.db, facility, { msgid: envelope.msgid, infno: envelope.infno, hash, response: answer as unknown as Record<string, unknown> });
    } catch (error) {
      if (error instanceof DomainError) {
        if (error.kind === 'rate_limited') void reply.header('retry-after', String(Math.max(1, Math.ceil((error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 60))));
        return reply.status(STATUS[error.kind]).send(failure(area, received, error) satisfies FsiResponse);
      }
      request.log.error({ err: loggableError(error) }, 'unhandled error in the national interface');
      return reply.status(500).send(failure(area, received, new DomainError('unavailable', 'INTERNAL', 'internal error; nothing was changed by this request')));
    }
  });
}
