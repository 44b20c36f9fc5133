/** The fund's routes (issue 14): reconciliation, clearing, assistance payouts, the ledger and fund reports. */
import type { FastifyInstance } from 'fastify';
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import type { Db } from '../../store/db.ts';
import type { BankKey } from '../../service/bank-account-crypto.ts';
import type { PdfFontSettings } from '../../service/pdf-fonts.ts';
import { clearingRoutes } from './clearing.ts';
import { payoutRoutes } from './payouts.ts';
import { reconciliationRoutes } from './reconciliation.ts';
import { z } from 'zod';
import { chinaToday } from '../../service/clearing.ts';
import { fundReport } from '../../service/fund-reports.ts';
import { parseWith } from '../errors.ts';
import { requireStaff } from '../staff-guard.ts';

export const fundReportQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

export interface FundRouteDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
  /** Encrypts and opens bank account numbers (SANBAO_BANK_KEY); absent: bank features answer 503. */
  readonly bankKey?: BankKey | undefined;
  /** Today in China (tests set it to clear a month that is over). */
  readonly today?: (() => string) | undefined;
  /** Fonts for the clearing statement as PDF (default: Debian's Noto fonts, else the npm ones). */
  readonly pdfFonts?: PdfFontSettings | undefined;
}

export function fundRoutes(app: FastifyInstance, deps: FundRouteDeps): void {
  reconciliationRoutes(app, deps);
  clearingRoutes(app, deps);
  payoutRoutes(app, deps);
  app.get('/api/v1/fund/report', async (request) => {
    await requireStaff(deps.db, request, 'reports.read');
    const { year } = parseWith(fundReportQuery, request.query, 'query');
    return fundReport(deps.db, deps.policies, year, (deps.today ?? (() => chinaToday()))());
  });
}
