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
import { chooseOtpSender, type OtpDelivery } from './service/otp-senders.ts';
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
  /** How residents' sign-in codes are delivered; 'none' comes with `otpWarning`. */
  readonly otpDelivery: OtpDelivery;
  readonly otpWarning: string | undefined;
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
  const otp = chooseOtpSender({ sms: config.sms, demo: config.demo, otpFile: join(config.dataDir, 'otp.log') });
  const app = await buildApp({ db, policies, logLevel: config.logLevel, limits: config.limits, otpSender: otp.sender });
  if (otp.warning) app.log.warn(otp.warning);
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
    otpDelivery: otp.delivery,
    otpWarning: otp.warning,
    close: () =>
      (closing ??= (async () => {
        await app.close(); // stops accepting, waits for in-flight requests
        await jobs.stop(); // lets a run or a delivery in flight finish
        await db.close();
      })()),
  };
}
