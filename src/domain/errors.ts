/**
 * One error vocabulary for the whole product. The domain says what went wrong
 * (a code, a message, the field, and its kind); the HTTP layer and the CLI map
 * the kind to a status or an exit code in one place each.
 */
export const ERROR_KINDS = ['invalid', 'unprocessable', 'not_found', 'conflict', 'forbidden', 'unauthorized', 'too_large', 'rate_limited', 'unavailable'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const invalid = (code: string, message: string, field?: string): DomainError =>
  new DomainError('invalid', code, message, field);
export const notFound = (code: string, message: string, field?: string): DomainError =>
  new DomainError('not_found', code, message, field);
export const conflict = (code: string, message: string, field?: string): DomainError =>
  new DomainError('conflict', code, message, field);
export const forbidden = (code: string, message: string): DomainError => new DomainError('forbidden', code, message);
export const unprocessable = (code: string, message: string, field?: string): DomainError =>
  new DomainError('unprocessable', code, message, field);
/** Not authenticated (401); the field defaults to the Authorization header at the HTTP edge. */
export const unauthorized = (code: string, message: string, field?: string): DomainError => new DomainError('unauthorized', code, message, field);
/** Input larger than the service accepts (a file that unpacks too big, too many rows): HTTP 413. */
export const tooLarge = (code: string, message: string, field?: string): DomainError =>
  new DomainError('too_large', code, message, field);

/** Too many requests: the HTTP layer answers 429 with Retry-After. */
export class RateLimitedError extends DomainError {
  constructor(code: string, message: string, readonly retryAfterSeconds: number) {
    super('rate_limited', code, message);
  }
}

/** A service the request needs is not configured or not reachable (503). */
export const unavailable = (code: string, message: string): DomainError => new DomainError('unavailable', code, message);
