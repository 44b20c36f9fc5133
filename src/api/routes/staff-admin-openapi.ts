/** The OpenAPI paths of staff administration, facilities, the password change and the first set-up, from the routes' own schemas. */
import { errorResponse as err, jsonBody as body, jsonSchemaOf as json, okResponse as ok } from '../openapi-parts.ts';
import { z } from 'zod';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { newFacilitySchema, newStaffSchema, roleSchema } from './staff-admin.ts';
import { passwordSchema, setupSchema } from './staff-auth.ts';

const staff = STAFF_SECURITY;
const guarded = { 400: err('bad input'), 401: err('not signed in'), 403: err('not a bureau admin, or outside your division') };
const username = [{ name: 'username', in: 'path', required: true, schema: { type: 'string' } }];
const code = [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }];

export const staffAdminPaths = {
  '/api/v1/console/staff': {
    get: { summary: 'Staff accounts in your division: role, division, department, state (staff.admin)', security: staff, responses: { 200: ok('{ items }'), ...guarded } },
    post: { summary: 'Add a staff account; the temporary password is in the answer, once, and must be changed at first sign-in', security: staff, requestBody: body(newStaffSchema), responses: { 201: ok('{ id, username, temporaryPassword }'), 409: err('STAFF_EXISTS'), ...guarded } },
  },
  '/api/v1/console/staff/{username}/disable': { post: { summary: 'Disable an account and end its sessions (never the last bureau admin, never yourself)', security: staff, parameters: username, responses: { 200: ok('{ username, active }'), 409: err('LAST_ADMIN or CANNOT_DISABLE_SELF'), ...guarded } } },
  '/api/v1/console/staff/{username}/enable': { post: { summary: 'Enable an account again', security: staff, parameters: username, responses: { 200: ok('{ username, active }'), ...guarded } } },
  '/api/v1/console/staff/{username}/reset-password': { post: { summary: 'A new temporary password (in the answer, once); sessions end, a sign-in lock lifts', security: staff, parameters: username, responses: { 200: ok('{ username, temporaryPassword }'), ...guarded } } },
  '/api/v1/console/staff/{username}/role': { put: { summary: 'Set role, division and department; sessions end', security: staff, parameters: username, requestBody: body(roleSchema), responses: { 200: ok('the account'), ...guarded } } },
  '/api/v1/console/facilities': {
    get: { summary: 'Designated hospitals and pharmacies in your division (staff.admin)', security: staff, responses: { 200: ok('{ items }'), ...guarded } },
    post: { summary: 'Add a facility; its API key is in the answer, once', security: staff, requestBody: body(newFacilitySchema), responses: { 201: ok('{ facility, apiKey }'), 409: err('FACILITY_EXISTS'), ...guarded } },
  },
  '/api/v1/console/facilities/{code}/level': { put: { summary: "Change a facility's level (0–3)", security: staff, parameters: code, requestBody: body(z.strictObject({ level: z.number().int().min(0).max(3) })), responses: { 200: ok('the facility'), ...guarded } } },
  '/api/v1/console/facilities/{code}/disable': { post: { summary: 'Disable a facility: its key answers 403 FACILITY_DISABLED (within the 30 s key cache)', security: staff, parameters: code, responses: { 200: ok('the facility'), ...guarded } } },
  '/api/v1/console/facilities/{code}/enable': { post: { summary: 'Enable a facility again', security: staff, parameters: code, responses: { 200: ok('the facility'), ...guarded } } },
  '/api/v1/console/facilities/{code}/rotate-key': { post: { summary: 'A new API key (in the answer, once); the old one stops working', security: staff, parameters: code, responses: { 200: ok('{ facility, apiKey }'), ...guarded } } },
  '/api/v1/staff/password': { post: { summary: 'Change your own password (the one call allowed while a change is required)', security: staff, requestBody: body(passwordSchema), responses: { 200: ok('{ ok }'), 400: err('WEAK_PASSWORD or WRONG_PASSWORD'), 401: err('not signed in') } } },
  '/api/v1/staff/setup': {
    get: { summary: 'Whether the first set-up is still open (no staff accounts exist)', responses: { 200: ok('{ needed }') } },
    post: { summary: 'Create the first bureau admin with the one-time set-up token printed at start', requestBody: body(setupSchema), responses: { 201: ok('{ id, username }'), 400: err('bad input'), 401: err('INVALID_SETUP_TOKEN'), 409: err('SETUP_DONE') } },
  },
};
