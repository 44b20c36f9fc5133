/**
 * Resident self-service (/api/v1/me/*): sign-in with an ID number and a
 * one-time code, then only the signed-in person's own data. The resident
 * session cookie is separate from the staff one.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { unauthorized } from '../../domain/errors.ts';
import { isoDateSchema } from '../../domain/engine/quote-schema.ts';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import { VISIT_KINDS } from '../../domain/vocabulary.ts';
import { requestCode, residentLogout, sessionResident, verifyCode, type OtpSender } from '../../service/resident-auth.ts';
import { fileOutOfArea, listFilings, residentOverview, residentQuote, residentSettlements } from '../../service/resident-self-service.ts';
import type { SecurityLimits } from '../../service/rate-limit.ts';
import type { Db } from '../../store/db.ts';
import { FILING_REASONS } from '../../store/repositories/out-of-area-filings.ts';
import { parseWith } from '../errors.ts';
import { residentAccount } from '../../service/resident-account.ts';
import { beijingToday } from './monitoring.ts';

export const RESIDENT_COOKIE = 'sanbao_resident';

export function residentToken(request: FastifyRequest): string | undefined {
  const cookie = request.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === RESIDENT_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

const idNumber = z.string().trim().regex(/^\d{17}[\dXx]$/, 'an 18-character ID number');
// A real calendar day: a regex alone lets 2025-02-30 through to the database (a 500).
const isoDate = isoDateSchema;
const fen = z.number().int().nonnegative().max(100_000_000_000);

export const residentQuoteSchema = z.strictObject({
  kind: z.enum(VISIT_KINDS),
  level: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  date: isoDate,
  total: fen,
  compliant: fen,
  outOfArea: z.boolean().optional(),
  filed: z.boolean().optional(),
  chronicClass: z.enum(['A', 'B']).optional(),
});

export const residentFilingSchema = z.strictObject({
  treatmentPlace: z.string().trim().min(1).max(100),
  treatmentDivision: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/).optional(),
  reason: z.enum(FILING_REASONS),
  validFrom: isoDate,
  validTo: isoDate,
});

export function residentRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry; otpSender: OtpSender; limits: Partial<SecurityLimits> }): void {
  const signedIn = async (request: FastifyRequest) => {
    const token = residentToken(request);
    if (!token) throw unauthorized('SIGN_IN_REQUIRED', 'sign in with your ID number first');
    return sessionResident(deps.db, token);
  };

  // How codes are delivered here: the page shows the demo hint only for the demo's file, and says so when sign-in is off.
  app.get('/api/v1/me/sign-in', async () => ({ delivery: deps.otpSender.delivery ?? 'sms' }));

  app.post('/api/v1/me/code', async (request) => {
    const body = parseWith(z.strictObject({ idNumber }), request.body);
    const { phone } = await requestCode(deps.db, deps.otpSender, body.idNumber, {
      address: request.ip,
      limits: deps.limits,
      // The error's message only: never the number or the phone.
      onDeliveryError: (error) => request.log.warn({ err: { message: error.message } }, 'sign-in code not delivered'),
    });
    return { sent: true, phone };
  });

  app.post('/api/v1/me/login', async (request, reply) => {
    const body = parseWith(z.strictObject({ idNumber, code: z.string().trim().regex(/^\d{6}$/, 'six digits') }), request.body);
    const session = await verifyCode(deps.db, body.idNumber, body.code);
    void reply.header(
      'set-cookie',
      `${RESIDENT_COOKIE}=${session.token}; HttpOnly; SameSite=Strict; Path=/; Expires=${session.expiresAt.toUTCString()}`,
    );
    return { expiresAt: session.expiresAt.toISOString() };
  });

  app.post('/api/v1/me/logout', async (request, reply) => {
    const token = residentToken(request);
    if (token) await residentLogout(deps.db, token);
    void reply.header('set-cookie', `${RESIDENT_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  });

  app.get('/api/v1/me', async (request) => residentOverview(deps.db, await signedIn(request), deps.policies, beijingToday()));

  app.get('/api/v1/me/settlements', async (request) => ({ items: await residentSettlements(deps.db, await signedIn(request)) }));

  app.post('/api/v1/me/quote', async (request) => {
    const person = await signedIn(request);
    return residentQuote(deps.db, deps.policies, person, parseWith(residentQuoteSchema, request.body));
  });

  // The personal account (employees) and the accounts shared with me (家庭共济).
  app.get('/api/v1/me/account', async (request) => {
    const person = await signedIn(request);
    const query = parseWith(z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() }), request.query, 'query');
    return residentAccount(deps.db, person, query.year ?? Number(beijingToday().slice(0, 4)));
  });

  app.get('/api/v1/me/filings', async (request) => ({ items: await listFilings(deps.db, (await signedIn(request)).id) }));

  app.post('/api/v1/me/filings', async (request, reply) => {
    const person = await signedIn(request);
    const filing = await fileOutOfArea(deps.db, deps.policies, person, parseWith(residentFilingSchema, request.body), 'online', `resident:${person.id}`, beijingToday());
    return reply.status(201).send(filing);
  });
}
