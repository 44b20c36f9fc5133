/** Issue 17: the person search answers the real total ("共 100 人" for a county of 400 was the page's length), page by page, scoped as before. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixturePolicies } from './support/policies.ts';
import type { TestDb } from './support/db.ts';
import { openTestApp, type TestApp } from './support/test-app.ts';
import { staffToken } from './support/monitoring.ts';

let t: TestDb;
let app: FastifyInstance;
let testApp: TestApp;

beforeAll(async () => {
  testApp = await openTestApp({ policies: loadFixturePolicies(), staff: [] });
  ({ t, app } = testApp);
});
afterAll(() => testApp?.close());

const search = async (who: string, query: string) => (await app.inject({ method: 'GET', url: `/api/v1/console/persons?${query}`, headers: await staffToken(app, who) })).json();

describe('person search totals', () => {
  it('answers the whole count with each page, and the pages cover everyone once', async () => {
    const inCounty = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM persons WHERE division_code LIKE '513330%'`))[0]!.n;
    expect(inCounty).toBeGreaterThan(2);
    const first = await search('clerk', 'limit=2');
    expect(first).toMatchObject({ total: inCounty, limit: 2, offset: 0 });
    expect(first.items).toHaveLength(2);
    const ids: number[] = [];
    for (let offset = 0; offset < inCounty; offset += 2) ids.push(...(await search('clerk', `limit=2&offset=${offset}`)).items.map((p: { id: number }) => p.id));
    expect(new Set(ids).size).toBe(inCounty);
  });

  it('counts within the search and the scope: a name, a station’s township, a liaison’s cases (none here)', async () => {
    const named = await search('clerk', `q=${encodeURIComponent('测试')}&limit=1`);
    expect(named.total).toBeGreaterThan(1);
    expect(named.items).toHaveLength(1);
    const township = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM persons WHERE division_code LIKE '513330001%'`))[0]!.n;
    expect((await search('station1', 'limit=1')).total).toBe(township);
    expect(await search('civil', 'limit=5')).toMatchObject({ total: 0, items: [] });
  });
});
