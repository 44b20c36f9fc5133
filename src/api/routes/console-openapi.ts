/** The staff-console and resident self-service paths of the OpenAPI document. */
import { errorResponse as err, jsonBody as body, jsonSchemaOf as json, okResponse as ok } from '../openapi-parts.ts';
import { residentFilingSchema, residentQuoteSchema } from './resident.ts';
import { STAFF_SECURITY } from '../openapi-security.ts';

const staff = STAFF_SECURITY;
const guarded = { 401: err('not signed in'), 403: err('not permitted, or outside your division') };
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
const year = [{ name: 'year', in: 'query', required: false, schema: { type: 'integer' } }];
const residentSession = [{ residentCookie: [] }];
const resident = { 401: err('not signed in as a resident (cookie sanbao_resident)') };

export const consolePaths = {
  '/api/v1/console/persons': {
    get: {
      summary: 'Search people by name, ID number, phone or household code inside your division; ID numbers and phones masked',
      security: staff,
      parameters: [{ name: 'q', in: 'query', required: false, schema: { type: 'string' } }, { name: 'limit', in: 'query', required: false, schema: { type: 'integer' } }],
      responses: { 200: ok('{ items }'), ...guarded },
    },
  },
  '/api/v1/console/persons/{id}': {
    get: { summary: 'A person: household, identities, enrollments, settlements, filings (masked)', security: staff, parameters: id, responses: { 200: ok('the person'), ...guarded } },
  },
  '/api/v1/console/persons/{id}/unmask': {
    post: { summary: 'Full ID number and phone (person.unmask); every unmasking is audited', security: staff, parameters: id, responses: { 200: ok('{ id, idNumber, phone }'), ...guarded } },
  },
  '/api/v1/console/persons/{id}/filings': {
    get: { summary: "A person's out-of-area filings", security: staff, parameters: id, responses: { 200: ok('{ items }'), ...guarded } },
    post: { summary: 'Out-of-area filing (异地就医备案) at a window or by phone (filing.write)', security: staff, parameters: id, responses: { 201: ok('the filing'), ...guarded } },
  },
  '/api/v1/console/settlements': {
    get: { summary: 'Settlements of people in your division', security: staff, responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/console/settlements/{id}': {
    get: { summary: 'One settlement with what each fund paid and the step-by-step explanation', security: staff, parameters: id, responses: { 200: ok('the settlement'), ...guarded } },
  },
  '/api/v1/console/reports/coverage': { get: { summary: 'Enrolled people over time and by township', security: staff, parameters: year, responses: { 200: ok('coverage'), ...guarded } } },
  '/api/v1/console/reports/payments': { get: { summary: 'Payments by fund and month (settlement_funds), fen', security: staff, parameters: year, responses: { 200: ok('payments'), ...guarded } } },
  '/api/v1/console/reports/alerts': { get: { summary: 'Alerts by department and risk', security: staff, parameters: year, responses: { 200: ok('alerts'), ...guarded } } },
  '/api/v1/console/audit': { get: { summary: 'The audit log (audit.read: auditor, administrator)', security: staff, responses: { 200: ok('{ items }'), ...guarded } } },
  '/api/v1/console/delegations': { get: { summary: 'Townships and the items delegated to their service stations (staff.admin)', security: staff, responses: { 200: ok('{ available, townships }'), ...guarded } } },
  '/api/v1/console/delegations/{divisionCode}': {
    put: {
      summary: "Set a station's delegated items (staff.admin); takes effect on the station's next request",
      security: staff,
      parameters: [{ name: 'divisionCode', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: ok('{ divisionCode, items }'), 400: err('unknown item'), ...guarded },
    },
  },
  '/api/v1/me/sign-in': { get: { summary: "How sign-in codes are delivered here: 'sms', 'file' (demo only) or 'none' (sign-in unavailable)", responses: { 200: ok('{ delivery }') } } },
  '/api/v1/me/code': {
    post: {
      summary: 'Send a one-time sign-in code for an ID number: every well-formed number gets the same answer and the same limits (per number, per client address, overall)',
      responses: { 200: ok('{ sent: true }'), 400: err('not an ID number'), 429: err('TOO_MANY_CODES (Retry-After)'), 503: err('SMS_NOT_CONFIGURED') },
    },
  },
  '/api/v1/me/login': { post: { summary: 'Sign in with the ID number and the code; sets the sanbao_resident cookie', responses: { 200: ok('{ expiresAt }'), 401: err('wrong or expired code') } } },
  '/api/v1/me/logout': { post: { summary: 'Sign out', responses: { 200: ok('{ ok: true }') } } },
  '/api/v1/me': { get: { summary: 'My enrollment, identities and what I paid', security: residentSession, responses: { 200: ok('overview'), ...resident } } },
  '/api/v1/me/settlements': { get: { summary: 'Every reimbursement of mine with what each fund paid, and its steps', security: residentSession, responses: { 200: ok('{ items }'), ...resident } } },
  '/api/v1/me/quote': { post: { summary: 'Trial calculation on my own policy, identities and year so far; writes nothing', security: residentSession, requestBody: body(residentQuoteSchema), responses: { 200: ok('the breakdown'), 400: err('bad input'), ...resident } } },
  '/api/v1/me/filings': {
    get: { summary: 'My out-of-area filings', security: residentSession, responses: { 200: ok('{ items }'), ...resident } },
    post: {
      summary: "File out-of-area treatment online, within the policy's limits for the reason",
      security: residentSession,
      requestBody: body(residentFilingSchema),
      responses: { 201: ok('the filing'), 400: err('bad input'), 422: err('FILING_BACKDATED, FILING_TOO_LONG or FILING_TOO_FAR_AHEAD'), ...resident },
    },
  },
};
