/** The OpenAPI paths of the years screen (bureau admin): list, open the next year's id range, archive a closed one. */
import { errorResponse as err, okResponse as ok } from '../openapi-parts.ts';
import { STAFF_SECURITY } from '../openapi-security.ts';

const guarded = { 400: err('bad input (INVALID_YEAR)'), 401: err('not signed in'), 403: err('not a bureau admin (staff.admin)') };
const year = [{ name: 'year', in: 'path', required: true, schema: { type: 'integer', minimum: 2000, maximum: 2100 } }];

export const yearPaths = {
  '/api/v1/console/years': {
    get: { summary: 'Closed years and each settlement id range (partition) with its settlements, where new bills go, and archived ones', security: STAFF_SECURITY, responses: { 200: ok('{ closed, ranges, nextYear }'), ...guarded } },
  },
  '/api/v1/console/years/{year}/open': {
    post: { summary: "Open a year's id range: its partitions, then the id sequence moved there (idempotent, audited)", security: STAFF_SECURITY, parameters: year, responses: { 200: ok('{ year, opened, firstId, lastId, sequenceMoved }'), 409: err('LATER_YEAR_OPEN or TABLES_BUSY'), ...guarded } },
  },
  '/api/v1/console/years/{year}/archive': {
    post: { summary: "Archive a closed year's id range: its partitions detached into the archive schema (idempotent, audited)", security: STAFF_SECURITY, parameters: year, responses: { 200: ok('{ year, archived, settlements, tables, archivedAt }'), 404: err('YEAR_NOT_OPENED'), 409: err('YEAR_CURRENT, YEAR_NOT_CLOSED, YEAR_NOT_CLEARED, REVIEW_OPEN, LEDGER_DIFFERS, REFERENCED or TABLES_BUSY'), ...guarded } },
  },
};
