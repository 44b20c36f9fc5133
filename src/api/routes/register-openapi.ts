/** The register's paths of the OpenAPI document: imports of divisions and household registers, the window's changes. */
import { errorResponse as err, jsonBody as body, jsonSchemaOf as json, okResponse as ok } from '../openapi-parts.ts';
import { STAFF_SECURITY } from '../openapi-security.ts';
import { householdPatchSchema, householdUploadSchema, newHouseholdSchema, newPersonSchema, personPatchSchema, tableUploadSchema } from './register.ts';

const security = STAFF_SECURITY;
const guarded = { 400: err('bad input'), 401: err('not signed in'), 403: err('not permitted, or outside your division') };
const file = { ...guarded, 413: err('the file unpacks beyond the limit (FILE_TOO_LARGE) or has too many rows or columns'), 422: err('bad rows: `problems` lists each row and reason; nothing written') };
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];

export const registerPaths = {
  '/api/v1/divisions': {
    get: { summary: 'Divisions inside yours (or under ?under=CODE), with Chinese, Tibetan and English names', security, responses: { 200: ok('{ items }'), ...guarded } },
  },
  '/api/v1/divisions/import': {
    post: {
      summary: 'Import townships and villages from CSV/XLSX (staff.admin): every row checked, refused whole naming each bad row; dryRun previews; re-import renames (audited)',
      security, requestBody: body(tableUploadSchema), responses: { 200: ok('dry run'), 201: ok('imported'), ...file },
    },
  },
  '/api/v1/households/import': {
    post: {
      summary: 'Import a household register from CSV/XLSX (person.write); see the README for the columns. correctRegister moves and renames people already registered (audited)',
      security, requestBody: body(householdUploadSchema), responses: { 200: ok('dry run'), 201: ok('imported'), ...file },
    },
  },
  '/api/v1/console/households': {
    post: { summary: 'A new household in a village (numbered VILLAGE-000001… unless given)', security, requestBody: body(newHouseholdSchema), responses: { 201: ok('{ id, code, divisionCode }'), 409: err('the number is taken'), ...guarded } },
  },
  '/api/v1/console/households/{id}': {
    patch: { summary: 'Move a household and its members to another village (audited)', security, parameters: id, requestBody: body(householdPatchSchema), responses: { 200: ok('the household'), ...guarded } },
  },
  '/api/v1/console/persons/{id}/register': {
    get: { summary: "What the window's edit form starts from (names masked, the phone only as present or not)", security, parameters: id, responses: { 200: ok('the entry'), ...guarded } },
  },
};

/** POST on /api/v1/console/persons sits beside the search's GET. */
export function withRegisterOperations(paths: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...paths };
  for (const [path, operations] of Object.entries(registerPaths)) {
    out[path] = { ...(paths[path] ?? {}), ...operations };
  }
  out['/api/v1/console/persons'] = {
    ...(paths['/api/v1/console/persons'] ?? {}),
    post: { summary: 'Add a person to a household at the window (audited)', security, requestBody: body(newPersonSchema), responses: { 201: ok('{ id, householdCode, divisionCode }'), 409: err('registered already, or the household has a head'), ...guarded } },
  };
  out['/api/v1/console/persons/{id}'] = {
    ...(paths['/api/v1/console/persons/{id}'] ?? {}),
    patch: { summary: "Change a person's names, phone, relation, household or village (audited before/after)", security, parameters: id, requestBody: body(personPatchSchema), responses: { 200: ok('{ id, changed }'), 409: err('the household has a head'), ...guarded } },
  };
  return out;
}
