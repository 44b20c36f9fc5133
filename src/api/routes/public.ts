/** Routes without a facility key: health, policies, the trial calculation. */
import type { FastifyInstance } from 'fastify';
import { parseQuote, quote } from '../../domain/engine/quote.ts';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import type { Db } from '../../store/db.ts';

export function publicRoutes(app: FastifyInstance, deps: { db: Db; policies: PolicyRegistry }): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      await deps.db.query('SELECT 1');
      return { status: 'ok', database: deps.db.kind };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: deps.db.kind });
    }
  });

  app.get('/api/v1/policies', async () => ({
    items: deps.policies.list().map((p) => ({ id: p.id, year: p.year, region: p.region, name: p.name, from: p.from, to: p.to })),
  }));

  /** SPEC §5 over HTTP: the same engine, writing nothing. */
  app.post('/api/v1/quote', async (request) => quote(deps.policies, parseQuote(request.body)));
}
