/**
 * The web app calls the API through its one typed client (web/src/api-client.ts):
 * no page calls fetch or the untyped api() itself, so no page holds a hand-written
 * copy of an answer's shape.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../web/src/', import.meta.url).pathname;
const CLIENT = new Set(['api.ts', 'api-client.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Offending lines of the pages: a fetch, an untyped api call, an import of the untyped module. */
function untypedCalls(files: { name: string; text: string }[]): string[] {
  return files.flatMap(({ name, text }) =>
    text.split('\n').flatMap((line, i) =>
      /\bfetch\(|\bapi(<[^>]*>)?\(|from '(\.\.?\/)+api\.ts'/.test(line) ? [`${name}:${i + 1}: ${line.trim()}`] : [],
    ),
  );
}

describe('the web app’s API calls', () => {
  it('go through the typed client only', () => {
    const pages = sources(root)
      .map((path) => ({ name: relative(root, path), text: readFileSync(path, 'utf8') }))
      .filter((f) => !CLIENT.has(f.name));
    expect(pages.length).toBeGreaterThan(30);
    expect(untypedCalls(pages)).toEqual([]);
  });

  it('take the server’s answer types as types only: no schema code reaches the browser', () => {
    const valueImports = sources(root).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => /from '(\.\.\/)+src\/api\//.test(line) && !/^\s*(import|export) type /.test(line))
        .map((line) => `${relative(root, path)}: ${line.trim()}`),
    );
    expect(valueImports).toEqual([]);
  });

  it('would catch a page that fetched or called api() itself', () => {
    expect(untypedCalls([
      { name: 'a.tsx', text: "const r = await fetch('/api/v1/me');" },
      { name: 'b.tsx', text: "api<{ items: X[] }>('GET', '/api/v1/x')" },
      { name: 'c.tsx', text: "import { api } from '../api.ts';" },
      { name: 'd.tsx', text: "get('/api/v1/me', {})" },
    ]).map((l) => l.split(':')[0])).toEqual(['a.tsx', 'b.tsx', 'c.tsx']);
  });
});
