/**
 * The console's typed client: each GET path with the type of its answer,
 * taken from the zod schemas the server's OpenAPI document is built from
 * (type-only imports: no schema code reaches the browser). A page asks
 * `get('/api/v1/monitoring/cases/:id', { id })` and receives a CaseDetail.
 */
import type { CaseDetail, CaseList } from '../../src/api/routes/monitoring-responses.ts';
import { api } from './api.ts';

export interface Answers {
  '/api/v1/monitoring/cases': CaseList;
  '/api/v1/monitoring/cases/:id': CaseDetail;
}

type Params<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? { [K in Name]: string | number } & Params<`/${Rest}`> : P extends `${string}:${infer Name}` ? { [K in Name]: string | number } : Record<string, never>;

/** Fills the path's :params and appends the query (undefined values left out). */
export function pathOf<P extends keyof Answers>(path: P, params: Params<P>, query: Record<string, string | number | undefined> = {}): string {
  const filled = path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String((params as Record<string, string | number>)[name])));
  const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
  return search.size ? `${filled}?${search}` : filled;
}

export function get<P extends keyof Answers>(path: P, params: Params<P>, query?: Record<string, string | number | undefined>): Promise<Answers[P]> {
  return api<Answers[P]>('GET', pathOf(path, params, query));
}
