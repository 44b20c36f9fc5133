/** The HTTP application: one error handler, JSON-line logs without personal data, the routes. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { compressResponses } from './compression.ts';
import { errorHandler, refuseNulCharacters } from './errors.ts';
import { hardenHttp } from './http-hardening.ts';
import { docsPage, openApiDocument } from './openapi.ts';
import { enrollmentReportRoutes } from './routes/enrollment-reports.ts';
import { enrollmentRoutes } from './routes/enrollment.ts';
import { hospitalRoutes } from './routes/hospital.ts';
import { monitoringAdminRoutes } from './routes/monitoring-admin.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { publicRoutes } from './routes/public.ts';
import { staffAuthRoutes } from './routes/staff-auth.ts';
import { consoleRoutes } from './routes/console.ts';
import { consoleAdminRoutes } from './routes/console-admin.ts';
import { registerRoutes } from './routes/register.ts';
import { staffAdminRoutes } from './routes/staff-admin.ts';
import { webRoutes } from './routes/console-web.ts';
import { residentRoutes } from './routes/resident.ts';
import { unconfiguredOtpSender, type OtpSender } from '../service/otp-senders.ts';
import type { SecurityLimits } from '../service/rate-limit.ts';
import { drgRoutes } from './routes/drg.ts';
import type { DrgContext } from '../service/drg-catalogues.ts';
import { chronicRoutes } from './routes/chronic.ts';
import { reviewRoutes } from './routes/review.ts';
import { catalogueRoutes } from './routes/catalogue.ts';

export interface AppDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
  readonly logLevel?: string;
  /** Delivers residents' one-time codes (the service chooses: SMS gateway, or the file in demo mode); none: sign-in answers 503. */
  readonly otpSender?: OtpSender;
  /** The built web app (default dist/web). */
  readonly webDir?: string;
  /** Believe X-Forwarded-Proto/-For/-Host from these proxies (SANBAO_TRUST_PROXY): true, or addresses and CIDRs. */
  readonly trustProxy?: boolean | string;
  /** Rate limits (default DEFAULT_LIMITS; configured by SANBAO_* variables in production). */
  readonly limits?: Partial<SecurityLimits>;
  /** DRG code lists and group tables (default: from the database and the shipped table). */
  readonly drg?: DrgContext;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.logLevel ?? 'info',
      // The path only: query strings may carry personal data; bodies are never logged.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    },
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    trustProxy: deps.trustProxy ?? false,
  });
  hardenHttp(app);
  compressResponses(app);
  app.setErrorHandler(errorHandler);
  app.addHook('preHandler', refuseNulCharacters);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  publicRoutes(app, deps);
  hospitalRoutes(app, deps);
  staffAuthRoutes(app, deps);
  enrollmentRoutes(app, deps);
  enrollmentReportRoutes(app, deps);
  monitoringRoutes(app, deps);
  monitoringAdminRoutes(app, deps);
  consoleRoutes(app, deps);
  consoleAdminRoutes(app, deps);
  registerRoutes(app, deps);
  staffAdminRoutes(app, deps);
  drgRoutes(app, deps);
  chronicRoutes(app, deps);
  reviewRoutes(app, deps);
  catalogueRoutes(app, deps);
  residentRoutes(app, { ...deps, otpSender: deps.otpSender ?? unconfiguredOtpSender(), limits: deps.limits ?? {} });
  webRoutes(app, deps.webDir ? { dir: deps.webDir } : {});

  const doc = openApiDocument();
  app.get('/openapi.json', async () => doc);
  const page = docsPage(doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  return app;
}
