/**
 * The web app's one API client. Each operation is named as in the OpenAPI document
 * ('/api/v1/console/persons/{id}') and answers the type of its zod response schema
 * (src/api/responses, imported type-only: no schema code reaches the browser). A page
 * asks `get('/api/v1/monitoring/cases/{id}', { id })` and receives a CaseDetail;
 * pages never call fetch themselves (test/web-client-only.test.ts).
 */
import type { Answers, Operation } from '../../src/api/responses/index.ts';
import { api, refusal } from './api.ts';

export type { Answers } from '../../src/api/responses/index.ts';
export { ApiError } from './api.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** The paths that answer a method: PathsOf<'GET'> is every GET path. */
export type PathsOf<M extends Method> = Operation extends infer K ? (K extends `${M} ${infer P}` ? P : never) : never;
/** The answer of a method on a path: Answer<'GET', '/api/v1/me'>. */
export type Answer<M extends Method, P extends PathsOf<M>> = Answers[`${M} ${P}` & Operation];

/** The {params} a path needs, each a string or a number. */
export type Params<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? { [K in Name]: string | number } & Params<Rest> : Record<never, never>;
export type Query = Record<string, string | number | boolean | undefined | null>;

/** Fills the path's {params} (encoded) and appends the query (undefined, null and '' left out). */
export function pathOf<P extends string>(path: P, params: Params<P>, query: Query = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String((params as Record<string, string | number>)[name])));
  const search = new URLSearchParams(
    Object.entries(query)
      .filter((e): e is [string, string | number | boolean] => e[1] !== undefined && e[1] !== null && e[1] !== '')
      .map(([k, v]) => [k, String(v)]),
  );
  return search.size ? `${filled}?${search}` : filled;
}

export function get<P extends PathsOf<'GET'>>(path: P, params: Params<P>, query?: Query): Promise<Answer<'GET', P>> {
  return api('GET', pathOf(path, params, query));
}
export function post<P extends PathsOf<'POST'>>(path: P, params: Params<P>, body?: unknown): Promise<Answer<'POST', P>> {
  return api('POST', pathOf(path, params), body);
}
export function put<P extends PathsOf<'PUT'>>(path: P, params: Params<P>, body?: unknown): Promise<Answer<'PUT', P>> {
  return api('PUT', pathOf(path, params), body);
}
export function patch<P extends PathsOf<'PATCH'>>(path: P, params: Params<P>, body?: unknown): Promise<Answer<'PATCH', P>> {
  return api('PATCH', pathOf(path, params), body);
}
export function del<P extends PathsOf<'DELETE'>>(path: P, params: Params<P>): Promise<Answer<'DELETE', P>> {
  return api('DELETE', pathOf(path, params));
}

/** The file answers (CSV lists) a page downloads, with their {params}. */
export type FilePath = '/api/v1/monitoring/outbox/{department}/list.csv';

/** A file answer with its headers, byte for byte; a refused one throws ApiError. */
export async function download<P extends FilePath>(path: P, params: Params<P>, query?: Query): Promise<{ blob: Blob; headers: Headers }> {
  const response = await fetch(pathOf(path, params, query), { credentials: 'same-origin' });
  if (!response.ok) throw refusal(response, await response.text());
  return { blob: await response.blob(), headers: response.headers };
}
