/**
 * HTTP hardening (issue 10, finding 10), in one place for every route:
 * security headers on every response, HSTS and `Secure` cookies when the
 * request came over HTTPS (directly, or through a proxy the configuration
 * trusts), an Origin check on writes that a browser authenticates with a
 * session cookie, and JSON bodies nested too deeply refused before parsing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, invalid } from '../domain/errors.ts';

/** What the built web app needs and nothing more: its own scripts, styles, fonts and API; never framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // ECharts (the reports) and React set style attributes; those cannot run script. <style> elements stay refused.
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
/** The /docs page carries its stylesheet inline. */
const DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

export const HSTS = 'max-age=31536000; includeSubDomains';
export const MAX_JSON_DEPTH = 32;

const SESSION_COOKIES = ['sanbao_staff', 'sanbao_resident'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The /docs page, with or without a query string. */
function isDocsPath(url: string): boolean {
  return url.startsWith('/docs') && (url.length === 5 || url[5] === '?');
}

function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('x-frame-options', 'DENY');
  void reply.header('referrer-policy', 'same-origin');
  void reply.header('cross-origin-opener-policy', 'same-origin');
  void reply.header('content-security-policy', isDocsPath(request.url) ? DOCS_POLICY : CONTENT_SECURITY_POLICY);
  if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
}

function hasSessionCookie(request: FastifyRequest): boolean {
  const cookie = request.headers.cookie;
  if (!cookie) return false;
  return cookie.split(';').some((part) => SESSION_COOKIES.includes(part.trim().split('=')[0] ?? ''));
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * A write carrying a session cookie must come from a page of this site: a
 * browser always sends Origin on such requests, and a forged one from another
 * site names that site. A request with an Authorization header is not
 * cookie-authenticated (a page elsewhere cannot add one without CORS, which
 * Sanbao does not grant); one with neither Origin nor Referer is not a browser's.
 */
function checkOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || request.headers.authorization || !hasSessionCookie(request)) return;
  const origin = request.headers.origin;
  const referer = request.headers.referer;
  const claimed = origin !== undefined ? origin : referer;
  if (claimed === undefined) return;
  const host = (request.host ?? request.headers.host ?? '').toLowerCase();
  if (claimed === 'null' || hostOf(claimed) !== host) {
    throw forbidden('CROSS_ORIGIN', 'a signed-in write must come from this site\'s own pages (the Origin header names another site)');
  }
}

/** Over HTTPS, every cookie the service sets is marked Secure. */
function secureCookies(request: FastifyRequest, reply: FastifyReply): void {
  if (request.protocol !== 'https') return;
  const cookies = reply.getHeader('set-cookie');
  if (cookies === undefined) return;
  const mark = (c: string) => (/;\s*secure\b/i.test(c) ? c : `${c}; Secure`);
  void reply.header('set-cookie', Array.isArray(cookies) ? cookies.map((c) => mark(String(c))) : mark(String(cookies)));
}

/** The deepest nesting of arrays and objects in a JSON text, counted outside strings, stopping once past max. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

export function hardenHttp(app: FastifyInstance): void {
  // Callback hooks (no promise per request): they run on every request, a settlement's too.
  app.addHook('onRequest', (request, reply, done) => {
    setSecurityHeaders(request, reply);
    try {
      checkOrigin(request);
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    secureCookies(request, reply);
    done(null, payload);
  });
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) {
      done(invalid('JSON_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, 'body'), undefined);
      return;
    }
    json(request, body as string, done);
  });
}
