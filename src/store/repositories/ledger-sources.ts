/**
 * The ledger against what it came from: for each kind of source (bills,
 * contributions, assistance, clearings, payouts), the amount each event
 * should have posted beside what the ledger holds for it, and the first
 * event where they differ. SQL only; the verify service reads the answers.
 */
import { parseInt8, type Queryable } from '../db.ts';

export interface SourceComparison {
  /** Events (with a non-zero amount) on the source side. */
  sources: number;
  sourceTotal: number;
  ledgerTotal: number;
  /** The first event whose ledger amount differs from its source, by key. */
  first: { key: string; source: number; ledger: number } | null;
}

/**
 * Compares two (key, amount) relations: `source` from the event tables,
 * `ledger` from the journals. Keys sort as text, so "first" is stable.
 */
async function compare(q: Queryable, source: string, ledger: string): Promise<SourceComparison> {
  const [row] = await q.query<Record<string, string | null>>(
    `WITH s AS (SELECT key, sum(amount)::bigint AS amount FROM (${source}) x GROUP BY key HAVING sum(amount) <> 0),
       l AS (SELECT key, sum(amount)::bigint AS amount FROM (${ledger}) y GROUP BY key HAVING sum(amount) <> 0),
       d AS (SELECT COALESCE(s.key, l.key) AS key, COALESCE(s.amount, 0) AS source, COALESCE(l.amount, 0) AS ledger
             FROM s FULL JOIN l ON l.key = s.key WHERE COALESCE(s.amount, 0) <> COALESCE(l.amount, 0))
     SELECT (SELECT count(*) FROM s)::text AS sources, (SELECT COALESCE(sum(amount), 0) FROM s)::text AS source_total,
       (SELECT COALESCE(sum(amount), 0) FROM l)::text AS ledger_total,
       (SELECT row_to_json(d) FROM (SELECT * FROM d ORDER BY key LIMIT 1) d)::text AS first`,
  );
  const first = row!.first ? (JSON.parse(row!.first) as { key: string; source: number | string; ledger: number | string }) : null;
  return {
    sources: Number(row!.sources),
    sourceTotal: parseInt8(row!.source_total!),
    ledgerTotal: parseInt8(row!.ledger_total!),
    first: first && { key: first.key, source: Number(first.source), ledger: Number(first.ledger) },
  };
}

const LEDGER = (kinds: string, account: string, key = 'j.source') => `
  SELECT ${key} AS key, e.amount_fen AS amount FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
  WHERE j.kind IN (${kinds}) AND e.account LIKE '${account}'`;

/**
 * Bills: per settlement and fund, what it stands at (settled: settlement plus
 * re-adjudications; reversed: nothing). The journals of an archived year's
 * settlements (`sanbao year archive`, compared when it was archived) are left
 * out: their bills are no longer in the tables. With ids, only the bills in
 * that range and their journals (what `year archive` checks first).
 */
export function compareBills(q: Queryable, ids?: { firstId: number; lastId: number }): Promise<SourceComparison> {
  const range = (column: string) => (ids ? ` AND ${column} BETWEEN ${Number(ids.firstId)} AND ${Number(ids.lastId)}` : '');
  return compare(
    q,
    `SELECT s.id || ':' || f.fund AS key, f.amount_fen AS amount FROM settlements s JOIN settlement_funds f ON f.settlement_id = s.id
       WHERE s.status = 'settled'${range('s.id')}
     UNION ALL
     SELECT a.settlement_id || ':' || x.fund, x.amount FROM settlement_adjustments a JOIN settlements s ON s.id = a.settlement_id AND s.status = 'settled'
       CROSS JOIN LATERAL (VALUES ('basic', a.basic_fen), ('critical', a.critical_fen), ('assistance', a.assistance_fen),
         ('supplementary', a.supplementary_fen), ('tilt', a.tilt_fen)) AS x(fund, amount)
       WHERE a.kind = 'readjudication'${range('s.id')}`,
    `${LEDGER("'settlement', 'readjudication', 'reversal'", '%:benefit', "j.settlement_id || ':' || split_part(e.fund, '.', 1)")}${range('j.settlement_id')}
       AND NOT EXISTS (SELECT 1 FROM settlement_id_ranges r WHERE r.archived_at IS NOT NULL AND j.settlement_id BETWEEN r.first_id AND r.last_id)`,
  );
}

/** Contributions: each payment, each bulk payment of a roster, each reversal (negative), as money into the basic fund's bank. */
export function compareContributions(q: Queryable): Promise<SourceComparison> {
  return compare(
    q,
    `SELECT 'payment:' || id AS key, amount_fen AS amount FROM payments WHERE batch_id IS NULL
     UNION ALL SELECT 'payment_batch:' || id, amount_fen FROM payment_batches
     UNION ALL SELECT 'payment:' || id || ':reversal', -amount_fen FROM payments WHERE reversed_at IS NOT NULL`,
    LEDGER("'contribution', 'contribution_reversal'", 'basic:bank', "j.source || CASE WHEN j.kind = 'contribution_reversal' THEN ':reversal' ELSE '' END"),
  );
}

/** Assistance granted on application, case by case, and recovered on reversed bills: the assistance fund's spending. */
export function compareAssistance(q: Queryable): Promise<SourceComparison> {
  return compare(
    q,
    `SELECT 'assistance_application:' || id AS key, paid_fen AS amount FROM assistance_applications
     UNION ALL SELECT 'assistance_exception:' || id, amount_fen FROM assistance_exceptions
     UNION ALL SELECT 'readjudication:' || readjudication_id || ':application:' || application_id || ':settlement:' || settlement_id, assistance_fen
       FROM settlement_adjustments WHERE kind = 'assistance_recovery'
     UNION ALL SELECT 'readjudication:' || readjudication_id || ':exception:' || exception_id || ':settlement:' || settlement_id, assistance_fen
       FROM settlement_adjustments WHERE kind = 'exception_recovery'`,
    LEDGER("'assistance_application', 'assistance_exception', 'assistance_recovery'", 'assistance:benefit'),
  );
}

/** Clearings: what each paid the hospital (net), against the money the ledger took out of the funds' bank accounts for it. */
export function compareClearings(q: Queryable): Promise<SourceComparison> {
  return compare(
    q,
    `SELECT 'clearing:' || id AS key, net_fen AS amount FROM clearings`,
    `SELECT j.source AS key, -e.amount_fen AS amount FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE j.kind = 'clearing' AND e.account LIKE '%:bank'`,
  );
}

/** Payouts: each sent or paid payout left the assistance fund's bank; a returned one came back. */
export function comparePayouts(q: Queryable): Promise<SourceComparison> {
  return compare(
    q,
    `SELECT 'payout:' || id AS key, amount_fen AS amount FROM assistance_payouts WHERE status IN ('sent', 'paid')`,
    `SELECT j.source AS key, -e.amount_fen AS amount FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE j.kind IN ('payout', 'payout_return') AND e.account = 'assistance:bank'`,
  );
}

/** Personal accounts: each credit, spend and restoration (negative) against the journal it posted. */
export function compareAccounts(q: Queryable): Promise<SourceComparison> {
  return compare(
    q,
    `SELECT 'account_entry:' || id AS key, CASE WHEN kind = 'restore' THEN -amount_fen ELSE amount_fen END AS amount FROM personal_account_entries`,
    `SELECT j.source AS key, e.amount_fen AS amount FROM ledger_journals j JOIN ledger_entries e ON e.journal_id = j.id
     WHERE j.kind IN ('account_credit', 'account_spend', 'account_restore') AND e.account IN ('personal_account:bank', 'personal_account:benefit')`,
  );
}
