/** The trial calculation (试算): validate a SPEC §5 case, settle it, shape the answer. */
import { invalid, notFound } from '../errors.ts';
import type { PolicyRegistry } from '../policy/registry.ts';
import { describeIssue, quoteSchema, type QuoteRequest } from './quote-schema.ts';
import { settle } from './settle.ts';
import type { Settlement } from './types.ts';

/** Parses a SPEC §5 case; throws DomainError (invalid) naming the field. */
export function parseQuote(raw: unknown): QuoteRequest {
  const parsed = quoteSchema.safeParse(raw);
  if (!parsed.success) throw invalid('INVALID_INPUT', describeIssue(parsed.error));
  return parsed.data;
}

/** Settles a parsed case against its policy, writing nothing. */
export function quote(registry: PolicyRegistry, request: QuoteRequest): Settlement {
  const policy = registry.get(request.policy);
  if (!policy) throw notFound('UNKNOWN_POLICY', `unknown policy "${request.policy}" (known: ${registry.list().map((p) => p.id).join(', ')})`, 'policy');
  return settle(policy, request);
}
