/**
 * The service: database (PGlite by default, PostgreSQL with DATABASE_URL),
 * policies, a demo county in an empty database, the HTTP app, and a graceful
 * shutdown that lets in-flight requests finish before the database closes.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/app.ts';
import type { Config } from './config.ts';
import { loadDemo } from './demo/demo.ts';
import { FULL_DEMO, SMALL_DEMO } from './demo/generate.ts';
import { hasPersons } from './demo/load.ts';
import { logFileOtpSender } from './service/resident-auth.ts';
import { join } from 'node:path';
import { loadPolicies, type PolicyRegistry } from './domain/policy/registry.ts';
import type { Db } from './store/db.ts';
import { openDatabase } from './store/open.ts';
import { startMonitoringJobs } from './jobs/monitoring-jobs.ts';

export interface RunningService {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly policies: PolicyRegistry;
  readonly url: string;
  readonly demoLoaded: boolean;
  close(): Promise<void>;
}

export async function startService(config: Config): Promise<RunningService> {
  const policies = loadPolicies(config.policyDir);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
  let demoLoaded = false;
  if (config.demo !== 'none' && !(await hasPersons(db))) {
    const options = config.demo === 'full' ? FULL_DEMO : SMALL_DEMO;
    await loadDemo(db, policies, options);
    demoLoaded = true;
  }
  const app = await buildApp({ db, policies, logLevel: config.logLevel, limits: config.limits, otpSender: logFileOtpSender(join(config.dataDir, 'otp.log')) });
  const address = await app.listen({ port: config.port, host: config.host });
  // The monthly monitoring run (on the 15th) and the push outbox, in the background.
  const jobs = startMonitoringJobs({ db, policies, log: app.log });
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    policies,
    url: address,
    demoLoaded,
    close: () =>
      (closing ??= (async () => {
        await app.close(); // stops accepting, waits for in-flight requests
        await jobs.stop(); // lets a run or a delivery in flight finish
        await db.close();
      })()),
  };
}
