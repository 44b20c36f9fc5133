/**
 * A test file's service: a fresh database (test/support/db.ts) with the fixture
 * county, the catalogues asked for, the demo staff signed in where asked, and the
 * API on it. What many API test files set up the same way in their beforeAll.
 *
 *   let testApp: TestApp;
 *   beforeAll(async () => { testApp = await openTestApp({ staff: ['clerk'] }); ({ t, app, f } = testApp); });
 *   afterAll(() => testApp?.close());
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/api/app.ts';
import { DEMO_PASSWORD, loadDemoStaff } from '../../src/demo/staff.ts';
import { loadPolicies, type PolicyRegistry } from '../../src/domain/policy/registry.ts';
import { importShippedCatalogues } from '../../src/service/catalogue-import.ts';
import { importReferenceCatalogues } from '../../src/service/insurance-catalogue-import.ts';
import { createTestDb, type TestDb } from './db.ts';
import { seedFixture, type Fixture } from './fixture.ts';

/** `reference`: the national items and drugs (insurance-catalogue-import); `shipped`: the region's lists (catalogue-import). */
export type TestCatalogue = 'reference' | 'shipped';

export interface TestAppOptions {
  /** The policies to settle by; the shipped ones (loadPolicies()) when not given. */
  policies?: PolicyRegistry;
  /** Catalogues to import, in this order, after the fixture. */
  catalogues?: readonly TestCatalogue[];
  /** Demo staff to sign in (the demo staff are loaded when this is given). */
  staff?: readonly string[];
  /** More of the service's dependencies (a resident code sender, security limits …). */
  app?: Omit<AppDeps, 'db' | 'policies' | 'logLevel'>;
}

export interface TestApp {
  t: TestDb;
  app: FastifyInstance;
  f: Fixture;
  policies: PolicyRegistry;
  /** The session token of each staff member signed in. */
  tokens: Record<string, string>;
  /** The authorization header of a signed-in staff member. */
  as(username: string): { authorization: string };
  /** Closes the API and drops the database. */
  close(): Promise<void>;
}

export async function openTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const t = await createTestDb();
  let app: FastifyInstance | undefined;
  try {
    const policies = opts.policies ?? loadPolicies();
    const f = await seedFixture(t.db, policies);
    if (opts.staff) await loadDemoStaff(t.db);
    for (const catalogue of opts.catalogues ?? []) {
      if (catalogue === 'reference') await importReferenceCatalogues(t.db, 'test');
      else await importShippedCatalogues(t.db, 'test');
    }
    app = await buildApp({ ...opts.app, db: t.db, policies, logLevel: 'silent' });
    const tokens = await signIn(app, opts.staff ?? []);
    const opened = app;
    return {
      t, app, f, policies, tokens,
      as: (username) => {
        const token = tokens[username];
        if (!token) throw new Error(`${username} was not signed in by openTestApp`);
        return { authorization: `Bearer ${token}` };
      },
      close: async () => {
        await opened.close();
        await t.drop();
      },
    };
  } catch (error) {
    await app?.close();
    await t.drop();
    throw error;
  }
}

/** Signs each demo staff member in with the demo password; refuses loudly when one cannot. */
export async function signIn(app: FastifyInstance, usernames: readonly string[]): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const username of usernames) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password: DEMO_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`sign-in of ${username} answered ${res.statusCode}: ${res.body}`);
    tokens[username] = res.json().token;
  }
  return tokens;
}
