/** Hospitals authenticate with a per-facility API key: `Authorization: Bearer sb_…` or `X-Api-Key`. */
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { findFacilityByApiKeyAnyState, type FacilityRow } from '../store/repositories/facilities.ts';

/** The credentials of `Authorization: Bearer …`; the scheme is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" alike. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = header === undefined ? null : /^bearer[ \t]+(.*)$/is.exec(header);
  return bearer ? bearer[1]!.trim() : undefined;
}

export function apiKeyOf(request: FastifyRequest): string | undefined {
  const bearer = bearerToken(request);
  if (bearer !== undefined) return bearer;
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}

/**
 * Valid keys are remembered briefly, so a busy HIS does not pay a lookup per bill. A change
 * made through this process (the console: disable, enable, level, rotate) forgets them all at
 * once (forgetVerifiedFacilityKeys); one made by another process (the CLI) too, when the
 * database tells the service (buildApp listens: listenForFacilityChanges); the TTL bounds
 * what a lost notification could leave.
 */
export const KEY_CACHE_TTL_MS = 30_000;

/** Bumped by every facility change made here: a key remembered under an older generation is looked up again. */
let generation = 0;

/** Call after a change of a facility has committed: every authenticator of this process reads its facility again. */
export function forgetVerifiedFacilityKeys(): void {
  generation += 1;
}

export function facilityAuthenticator(q: Queryable, ttlMs = KEY_CACHE_TTL_MS) {
  const cache = new Map<string, { facility: FacilityRow; until: number; generation: number }>();
  return async function authenticateFacility(request: FastifyRequest): Promise<FacilityRow> {
    const key = apiKeyOf(request);
    if (!key) throw unauthorized('API_KEY_REQUIRED', 'send the facility API key as "Authorization: Bearer <key>"', 'authorization');
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now && hit.generation === generation) return hit.facility;
    // A look-up that a change overtakes (it may have read the row before the change) is not remembered.
    const asked = generation;
    const facility = await findFacilityByApiKeyAnyState(q, key);
    if (!facility) {
      cache.delete(key);
      throw unauthorized('INVALID_API_KEY', 'the API key is not valid', 'authorization');
    }
    if (!facility.active) {
      cache.delete(key);
      throw forbidden('FACILITY_DISABLED', `facility ${facility.code} is disabled by the bureau; its key is refused until it is enabled again`);
    }
    if (cache.size > 10_000) cache.clear();
    if (asked === generation) cache.set(key, { facility, until: now + ttlMs, generation: asked });
    return facility;
  };
}
