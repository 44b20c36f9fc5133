/** Hospitals authenticate with a per-facility API key: `Authorization: Bearer sb_…` or `X-Api-Key`. */
import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { findFacilityByApiKey, type FacilityRow } from '../store/repositories/facilities.ts';

export function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}

export async function authenticateFacility(q: Queryable, request: FastifyRequest): Promise<FacilityRow> {
  const key = apiKeyOf(request);
  if (!key) throw unauthorized('API_KEY_REQUIRED', 'send the facility API key as "Authorization: Bearer <key>"');
  const facility = await findFacilityByApiKey(q, key);
  if (!facility) throw unauthorized('INVALID_API_KEY', 'the API key is not valid or the facility is inactive');
  return facility;
}
