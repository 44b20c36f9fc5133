/**
 * The fund report's figures, read from the ledger: income and spending per
 * fund and month, income by source and paying department, spending per
 * hospital level, bank balances, and the year's insured people.
 */
import { parseInt8, type Queryable } from '../db.ts';

export interface MonthFlow {
  fund: string;
  month: string;
  income: number;
  spending: number;
  /** Spending on benefits only (what a fund paid for care), without transfers to other funds. */
  benefit: number;
}

/** Per root fund and month of the year (business days): income credited, spending debited. */
export async function monthlyFlows(q: Queryable, year: number): Promise<MonthFlow[]> {
  const rows = await q.query<Record<string, string>>(
    `SELECT split_part(e.fund, '.', 1) AS fund, to_char(j.business_date, 'YYYY-MM') AS month,
       COALESCE(-sum(e.amount_fen) FILTER (WHERE e.account ~ ':(contribution|subsidy|finance|transfer_in)$'), 0)::text AS income,
       COALESCE(sum(e.amount_fen) FILTER (WHERE e.account ~ ':(benefit|subsidy_paid)$'), 0)::text AS spending,
       COALESCE(sum(e.amount_fen) FILTER (WHERE e.account LIKE '%:benefit'), 0)::text AS benefit
     FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE j.business_date >= make_date($1, 1, 1) AND j.business_date < make_date($1 + 1, 1, 1)
     GROUP BY 1, 2 ORDER BY 2, 1`,
    [year],
  );
  return rows.map((r) => ({ fund: r.fund!, month: r.month!, income: parseInt8(r.income!), spending: parseInt8(r.spending!), benefit: parseInt8(r.benefit!) }));
}

/** Income of the year by fund, kind (contribution, subsidy, finance, transfer_in) and paying department. */
export async function incomeBySource(q: Queryable, year: number): Promise<{ fund: string; kind: string; department: string | null; amount: number }[]> {
  const rows = await q.query<Record<string, string | null>>(
    `SELECT split_part(e.fund, '.', 1) AS fund, split_part(e.account, ':', 2) AS kind, j.department, (-sum(e.amount_fen))::text AS amount
     FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE j.business_date >= make_date($1, 1, 1) AND j.business_date < make_date($1 + 1, 1, 1)
       AND e.account ~ ':(contribution|subsidy|finance|transfer_in)$'
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [year],
  );
  return rows.map((r) => ({ fund: r.fund!, kind: r.kind!, department: r.department ?? null, amount: parseInt8(r.amount!) }));
}

/** Benefit spending of the year on hospital bills, by the hospital's level, with the bills counted. */
export async function spendingByLevel(q: Queryable, year: number): Promise<{ level: number; spending: number; bills: number }[]> {
  const rows = await q.query<Record<string, string>>(
    `SELECT f.level::text AS level, sum(e.amount_fen)::text AS spending, count(DISTINCT j.settlement_id)::text AS bills
     FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id JOIN facilities f ON f.id = j.facility_id
     WHERE j.kind IN ('settlement', 'readjudication', 'reversal') AND e.account LIKE '%:benefit'
       AND j.business_date >= make_date($1, 1, 1) AND j.business_date < make_date($1 + 1, 1, 1)
     GROUP BY f.level ORDER BY f.level`,
    [year],
  );
  return rows.map((r) => ({ level: Number(r.level), spending: parseInt8(r.spending!), bills: Number(r.bills) }));
}

/** Each root fund's bank balance at the end of a day. */
export async function bankBalances(q: Queryable, upTo: string): Promise<Map<string, number>> {
  const rows = await q.query<Record<string, string>>(
    `SELECT split_part(e.fund, '.', 1) AS fund, sum(e.amount_fen)::text AS balance
     FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE e.account LIKE '%:bank' AND j.business_date <= $1::date GROUP BY 1`,
    [upTo],
  );
  return new Map(rows.map((r) => [r.fund!, parseInt8(r.balance!)]));
}

/** People enrolled for the year (the heads spending is divided by). */
export async function enrolledCount(q: Queryable, year: number): Promise<number> {
  const [row] = await q.query<{ n: string }>("SELECT count(*)::text AS n FROM enrollments WHERE year = $1 AND status = 'enrolled'", [year]);
  return Number(row!.n);
}

/**
 * Subsidies (资助参保) per paying department for a policy year: what the year's
 * enrollments say each department owes the basic fund, and the subsidy transfers
 * the ledger has received from it for that year (payments of the individual part
 * on someone's behalf are not subsidies and are not counted here).
 */
export async function subsidiesByDepartment(q: Queryable, year: number): Promise<{ department: string; due: number; received: number }[]> {
  const rows = await q.query<Record<string, string>>(
    `WITH due AS (
       SELECT subsidy_department AS department, sum(subsidy_fen) AS amount FROM enrollments
       WHERE year = $1 AND status = 'enrolled' AND subsidy_fen > 0 AND subsidy_department IS NOT NULL GROUP BY 1),
     got AS (
       SELECT j.department, -sum(e.amount_fen) AS amount FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
       WHERE j.year = $1 AND j.kind = 'receipt' AND j.department IS NOT NULL AND e.account = 'basic:subsidy' GROUP BY 1)
     SELECT COALESCE(due.department, got.department) AS department, COALESCE(due.amount, 0)::text AS due, COALESCE(got.amount, 0)::text AS received
     FROM due FULL JOIN got ON got.department = due.department ORDER BY 1`,
    [year],
  );
  return rows.map((r) => ({ department: r.department!, due: parseInt8(r.due!), received: parseInt8(r.received!) }));
}
