/** Staff routes: the session from POST /api/v1/staff/login, as a bearer token or the sanbao_staff cookie. */
export const STAFF_SECURITY = [{ staffSession: [] }, { staffCookie: [] }];
