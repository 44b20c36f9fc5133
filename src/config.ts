/**
 * The one typed configuration loader. A newcomer needs none of it: the
 * defaults run the service on the embedded PostgreSQL, with a demo county when it is new.
 */
import { resolve } from 'node:path';
import { REFERENCE_POLICY_DIR } from './domain/policy/registry.ts';
import type { SecurityLimits } from './service/rate-limit.ts';
import { bankKeyFrom, type BankKey } from './service/bank-account-crypto.ts';
import { existsSync } from 'node:fs';
import type { PdfFontSettings } from './service/pdf-fonts.ts';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** postgres://… for a real PostgreSQL; undefined for the embedded PostgreSQL server in dataDir. */
  readonly databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its cluster (and otp.log); the database is ignored with a database URL. */
  readonly dataDir: string;
  readonly policyDir: string;
  /**
   * The demo county: small or full (Dege-sized) into an empty database, none never;
   * auto (SANBAO_DEMO unset) the small one into a new embedded database only — never
   * into a DATABASE_URL, where a real county starts empty.
   */
  readonly demo: 'small' | 'full' | 'none' | 'auto';
  readonly logLevel: string;
  /** Connections to PostgreSQL (SANBAO_DB_POOL_SIZE). */
  readonly poolSize: number;
  /**
   * Group commit: the most settle requests one transaction takes (SANBAO_SETTLE_BATCH, 32; 1: each bill alone),
   * the batches in flight at once (SANBAO_SETTLE_BATCHES_IN_FLIGHT, 2), and the longest a request waits after a
   * burst for the others the last batches lead to expect (SANBAO_SETTLE_GATHER_MS, 2; 0: never).
   */
  readonly settleBatch: { readonly maxBatch: number; readonly inFlight: number; readonly gatherMs: number };
  /**
   * Reports and exports: their own connections, never the settlement pool. A read replica
   * (SANBAO_READ_DATABASE_URL) or the main server; SANBAO_REPORT_POOL_SIZE connections (2);
   * each statement cancelled after SANBAO_REPORT_TIMEOUT_MS (120000).
   */
  readonly reports: { readonly readDatabaseUrl: string | undefined; readonly poolSize: number; readonly statementTimeoutMs: number };
  /** Proxies whose X-Forwarded-Proto/-For/-Host are believed (SANBAO_TRUST_PROXY): false, true, or addresses/CIDRs. */
  readonly trustProxy: boolean | string;
  /** Rate limits set by SANBAO_IDENTIFY_PER_MINUTE, SANBAO_CODES_PER_ADDRESS_PER_HOUR, SANBAO_CODES_PER_HOUR. */
  readonly limits: Partial<SecurityLimits>;
  /** The SMS gateway for residents' sign-in codes (SANBAO_SMS_URL, SANBAO_SMS_TOKEN); undefined: none configured. */
  readonly sms: { readonly url: string; readonly token: string } | undefined;
  /** The key that encrypts bank account numbers at rest (SANBAO_BANK_KEY, 32 bytes hex or base64); undefined: bank features answer 503. */
  readonly bankKey: BankKey | undefined;
  /** Full fonts for PDFs (SANBAO_PDF_FONT Chinese, SANBAO_PDF_TIBETAN_FONT Tibetan); unset: Debian's Noto fonts, else the npm ones. */
  readonly pdfFonts: PdfFontSettings;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function port(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`PORT "${value}" is not a port number`);
  return n;
}

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} "${value}" must be a whole number from ${min} to ${max}`);
  return n;
}

function postgresUrl(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) throw new ConfigError(`${name} must start with postgres://`);
  return value;
}

function poolSize(value: string | undefined): number {
  if (value === undefined || value === '') return 10;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new ConfigError(`SANBAO_DB_POOL_SIZE "${value}" must be a whole number from 1 to 200`);
  return n;
}

/** `true`/`false`, or a comma-separated list of proxy addresses and CIDRs (e.g. 127.0.0.1,10.0.0.0/8). */
function trustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (!/^[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*$/.test(value.replace(/\s+/g, ''))) {
    throw new ConfigError(`SANBAO_TRUST_PROXY "${value}" must be true, false, or proxy addresses/CIDRs separated by commas`);
  }
  return value.replace(/\s+/g, '');
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new ConfigError(`${name} "${value}" must be a whole number from 1 to 1000000`);
  return n;
}

function limitsFrom(env: NodeJS.ProcessEnv): Partial<SecurityLimits> {
  const identify = positiveInt('SANBAO_IDENTIFY_PER_MINUTE', env.SANBAO_IDENTIFY_PER_MINUTE);
  const perAddress = positiveInt('SANBAO_CODES_PER_ADDRESS_PER_HOUR', env.SANBAO_CODES_PER_ADDRESS_PER_HOUR);
  const overall = positiveInt('SANBAO_CODES_PER_HOUR', env.SANBAO_CODES_PER_HOUR);
  return {
    ...(identify ? { identifyPerFacility: { limit: identify, windowSeconds: 60 } } : {}),
    ...(perAddress ? { codesPerAddress: { limit: perAddress, windowSeconds: 3600 } } : {}),
    ...(overall ? { codesOverall: { limit: overall, windowSeconds: 3600 } } : {}),
  };
}

function smsFrom(env: NodeJS.ProcessEnv): Config['sms'] {
  const url = env.SANBAO_SMS_URL || undefined;
  if (!url) return undefined;
  if (!/^https?:\/\//.test(url)) throw new ConfigError('SANBAO_SMS_URL must start with https:// (or http:// to a local relay)');
  if (!env.SANBAO_SMS_TOKEN) throw new ConfigError('SANBAO_SMS_TOKEN is required with SANBAO_SMS_URL');
  return { url, token: env.SANBAO_SMS_TOKEN };
}

function bankKey(env: NodeJS.ProcessEnv): BankKey | undefined {
  try {
    return bankKeyFrom(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const demo = env.SANBAO_DEMO || 'auto';
  if (demo !== 'small' && demo !== 'full' && demo !== 'none' && demo !== 'auto') throw new ConfigError(`SANBAO_DEMO must be small, full or none, not "${demo}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must start with postgres://');
  return {
    port: port(env.PORT ?? env.SANBAO_PORT),
    host: env.SANBAO_HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: resolve(env.SANBAO_DATA_DIR ?? 'data'),
    policyDir: resolve(env.SANBAO_POLICY_DIR ?? REFERENCE_POLICY_DIR),
    demo,
    logLevel: env.SANBAO_LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    poolSize: poolSize(env.SANBAO_DB_POOL_SIZE),
    settleBatch: {
      maxBatch: wholeNumber('SANBAO_SETTLE_BATCH', env.SANBAO_SETTLE_BATCH, 32, 1, 256),
      inFlight: wholeNumber('SANBAO_SETTLE_BATCHES_IN_FLIGHT', env.SANBAO_SETTLE_BATCHES_IN_FLIGHT, 2, 1, 64),
      gatherMs: wholeNumber('SANBAO_SETTLE_GATHER_MS', env.SANBAO_SETTLE_GATHER_MS, 2, 0, 50),
    },
    reports: {
      readDatabaseUrl: postgresUrl('SANBAO_READ_DATABASE_URL', env.SANBAO_READ_DATABASE_URL),
      poolSize: wholeNumber('SANBAO_REPORT_POOL_SIZE', env.SANBAO_REPORT_POOL_SIZE, 2, 1, 50),
      statementTimeoutMs: wholeNumber('SANBAO_REPORT_TIMEOUT_MS', env.SANBAO_REPORT_TIMEOUT_MS, 120_000, 100, 3_600_000),
    },
    trustProxy: trustProxy(env.SANBAO_TRUST_PROXY),
    limits: limitsFrom(env),
    sms: smsFrom(env),
    bankKey: bankKey(env),
    pdfFonts: pdfFonts(env),
  };
}

function pdfFonts(env: NodeJS.ProcessEnv): PdfFontSettings {
  for (const name of ['SANBAO_PDF_FONT', 'SANBAO_PDF_TIBETAN_FONT'] as const) {
    if (env[name] && !existsSync(env[name])) throw new ConfigError(`${name} "${env[name]}" is not a file`);
  }
  return { chineseFont: env.SANBAO_PDF_FONT || undefined, tibetanFont: env.SANBAO_PDF_TIBETAN_FONT || undefined, systemFonts: true };
}

/** The configuration as safe to log: the database password masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl?.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@'),
    reports: { ...config.reports, readDatabaseUrl: config.reports.readDatabaseUrl?.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@') },
    sms: config.sms ? { url: config.sms.url, token: '***' } : undefined,
    bankKey: config.bankKey ? '***' : undefined,
  };
}
