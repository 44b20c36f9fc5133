/**
 * Every FHIR error is an OperationOutcome (4xx), never our JSON error shape or
 * Fastify's: `issue.code` from the FHIR issue-type value set, `details` with
 * Sanbao's error code, `diagnostics` naming the field, `expression` its path.
 */
import type { FastifyError } from 'fastify';
import { DomainError, type ErrorKind } from '../../domain/errors.ts';
import { fastifyErrorBody } from '../errors.ts';
import { SYSTEM } from './code-systems.ts';

/** FHIR issue types (http://hl7.org/fhir/issue-type) for Sanbao's error kinds. */
const ISSUE_TYPE: Record<ErrorKind, string> = {
  invalid: 'invalid',
  unprocessable: 'business-rule',
  not_found: 'not-found',
  conflict: 'conflict',
  forbidden: 'forbidden',
  unauthorized: 'login',
  too_large: 'too-costly',
  rate_limited: 'throttled',
  unavailable: 'transient',
};

export interface Problem {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly message: string;
  readonly field?: string | undefined;
}

/** An OperationOutcome with one error issue. */
export function operationOutcome(problem: Problem, expression?: string): Record<string, unknown> {
  const field = expression ?? problem.field;
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: ISSUE_TYPE[problem.kind],
        details: { coding: [{ system: SYSTEM.error, code: problem.code }], text: problem.code },
        diagnostics: field ? `${field}: ${problem.message}` : problem.message,
        ...(field ? { expression: [field] } : {}),
      },
    ],
  };
}

const FASTIFY_KIND: Record<number, ErrorKind> = { 400: 'invalid', 401: 'unauthorized', 404: 'not_found', 413: 'too_large', 415: 'invalid', 429: 'rate_limited' };

/** The problem in an error thrown while answering a FHIR request; undefined for an unexpected one (a 500). */
export function problemOf(error: unknown): (Problem & { status?: number }) | undefined {
  if (error instanceof DomainError) return { kind: error.kind, code: error.code, message: error.message, field: error.field };
  const e = error as FastifyError;
  if (e && typeof e.statusCode === 'number' && e.statusCode < 500) {
    const body = fastifyErrorBody(e).error;
    return { kind: FASTIFY_KIND[e.statusCode] ?? 'invalid', code: body.code, message: body.message, field: body.field ?? undefined, status: e.statusCode };
  }
  return undefined;
}

/** The outcome of an unexpected failure: nothing of its internals. */
export function internalOutcome(): Record<string, unknown> {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'internal error; nothing was changed by this request' }],
  };
}
