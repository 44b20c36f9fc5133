/** One HTTP mapping for the error vocabulary: a code, a message, the field; never a 500's internals. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { DomainError, invalid, RateLimitedError, type ErrorKind } from '../domain/errors.ts';
import { describeIssue } from '../domain/engine/quote-schema.ts';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** Every error answers this shape; `field` is always there, null only when no part of the request is at fault (a 500, a 503). */
export interface ErrorBody {
  error: { code: string; message: string; field: string | null };
}

/**
 * Fastify's own refusals (before any handler runs), in our vocabulary: a code a
 * HIS can match and the part of the request at fault.
 */
const FASTIFY_ERRORS: Record<string, { code: string; field: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', field: 'body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_JSON', field: 'body' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', field: 'body' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BODY_TOO_LARGE', field: 'body' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'INVALID_INPUT', field: 'path' },
};

/** A refusal without a field of its own names the part of the request its kind is about. */
const DEFAULT_FIELD: Partial<Record<ErrorKind, string>> = {
  unauthorized: 'authorization',
  forbidden: 'authorization',
  rate_limited: 'authorization',
  too_large: 'body',
};

/** Our error body for a Fastify error (status < 500): always code, message and field. */
export function fastifyErrorBody(error: FastifyError): ErrorBody {
  const known = FASTIFY_ERRORS[error.code ?? ''] ?? (error.name === 'SyntaxError' ? FASTIFY_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY : undefined);
  return { error: { code: known?.code ?? error.code ?? 'BAD_REQUEST', message: error.message, field: known?.field ?? 'request' } };
}

/** PostgreSQL's code for a statement cancelled (statement_timeout). */
const QUERY_CANCELED = '57014';

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DomainError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, field: error.field ?? DEFAULT_FIELD[error.kind] ?? null } };
    if (error instanceof RateLimitedError) void reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    void reply.status(STATUS[error.kind]).send(body);
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    void reply.status(fastifyError.statusCode).send(fastifyErrorBody(fastifyError));
    return;
  }
  if ((error as { code?: unknown }).code === QUERY_CANCELED) {
    // A report's statement ran past its limit (SANBAO_REPORT_TIMEOUT_MS) and PostgreSQL cancelled it.
    void reply.status(503).send({ error: { code: 'REPORT_TIMEOUT', message: 'the report took longer than its time limit and was stopped; narrow it (a smaller area or period) and try again' } });
    return;
  }
  request.log.error({ err: loggableError(error) }, 'unhandled error');
  void reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error; nothing was changed by this request', field: null } });
}

/**
 * What of an unexpected error goes to the log: its type, code, message and stack,
 * never its other properties — database errors carry the failing query's
 * parameters (PGlite: `params`) or the offending values (PostgreSQL: `detail`),
 * which may be names, ID numbers or phones.
 */
export function loggableError(error: unknown): { type: string; code?: string; message: string; stack?: string } {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown } | null | undefined;
  return {
    type: typeof e?.name === 'string' ? e.name : typeof error,
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.stack === 'string' ? { stack: e.stack } : {}),
  };
}

/** The path of the first string holding a NUL character ('' for the value itself), or undefined. */
function nulField(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = nulField(inner, path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Refuses text with a NUL character anywhere in a request's params, query or
 * body (PostgreSQL text cannot hold one: it would fail as a 500 mid-request),
 * before any handler runs.
 */
export function refuseNulCharacters(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  // A callback hook: no promise on every request.
  for (const [where, value] of [['params', request.params], ['query', request.query], ['body', request.body]] as const) {
    const field = nulField(value, '');
    if (field !== undefined) return done(invalid('INVALID_INPUT', `${where} ${field || '(input)'}: must not contain a NUL character`, field || undefined));
  }
  done();
}

/** Parses a request part with a zod schema, or throws an invalid-input DomainError naming the field. */
export function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown, where: 'body' | 'query' | 'params' = 'body'): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid('INVALID_INPUT', `${where} ${describeIssue(parsed.error)}`, issue.path.join('.') || undefined);
  }
  return parsed.data;
}
