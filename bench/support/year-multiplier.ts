/**
 * Scales a realistic year past what this machine settles in minutes: copies
 * the people and every row their bills wrote through the service (visits,
 * settlements with their steps, funds, bills and lines, accumulators,
 * identities, enrollments, re-adjudications and adjustments, and what real
 * time wrote with its alerts: the alerts, their cases, the cases' events and
 * pushes) `factor - 1` times, in SQL, each copy under new ids. The copies are
 * byte for byte the rows the service wrote, so the tables grow at the API's
 * width — a push's dedupe key and payload name the copy's alert, case and
 * person, as the service would have written them for it; what is not copied
 * (the ledger, the audit log) is not read by the monitoring run or the settle
 * path's look-ups. Each copy has its own households, copies of the originals.
 */
import type { Db } from '../../src/store/db.ts';

/** Each table copied, in foreign-key order, and how its columns change in copy k. */
const MAPPED_IDS: Record<string, string> = {
  households: 'household', persons: 'person', visits: 'visit', settlements: 'settlement', readjudications: 'readjudication', alerts: 'alert', monitoring_cases: 'case',
};
const TABLES = [
  'households', 'persons', 'identities', 'enrollments', 'accumulators', 'visits', 'settlements', 'settlement_keys', 'settlement_funds', 'settlement_bills', 'settlement_lines',
  'readjudications', 'settlement_adjustments', 'alerts', 'monitoring_cases', 'case_events', 'outbox',
] as const;
const REFERENCES: Record<string, string> = {
  household_id: 'household', person_id: 'person', visit_id: 'visit', settlement_id: 'settlement', readjudication_id: 'readjudication', alert_id: 'alert', case_id: 'case',
};
/** A copied person's ID number and household code (unique columns), from the original's person id or code, in copy k. */
const idNumberOf = (personId: string, max: Record<string, number>) => `'9' || lpad((${personId} + k * ${max.person!}::bigint)::text, 16, '0') || '0'`;

/** Copies made by one statement per table: progress is logged between batches. */
const COPIES_PER_BATCH = 20;

export async function multiplyYear(db: Db, factor: number, log: (line: string) => void): Promise<void> {
  if (factor <= 1) return;
  const max: Record<string, number> = {};
  for (const [table, key] of Object.entries(MAPPED_IDS)) {
    const [row] = await db.query<{ n: number }>(`SELECT coalesce(max(id), 0)::bigint AS n FROM ${table}`);
    max[key] = Number(row!.n);
  }
  const columns = new Map<string, string[]>();
  for (const table of TABLES) {
    const rows = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    columns.set(table, rows.map((r) => r.column_name));
  }
  // Secondary indexes (those that back no constraint) are dropped while the copies go in and built again after:
  // one sort per index instead of millions of single inserts into it (what made copying to 5 million bills take hours).
  const indexes = await db.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = ANY ($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
    [[...TABLES]],
  );
  for (const index of indexes) await db.query(`DROP INDEX ${index.name}`);
  log(`  ${indexes.length} secondary indexes dropped for the copy`);
  const statements = TABLES.map((table) => copyStatement(table, columns.get(table)!, max));
  for (let from = 1; from < factor; from += COPIES_PER_BATCH) {
    const to = Math.min(factor - 1, from + COPIES_PER_BATCH - 1);
    const t0 = performance.now();
    await db.transaction(async (tx) => {
      // A bulk copy of rows already checked: foreign keys and triggers are not re-run row by row.
      await tx.query('SET LOCAL session_replication_role = replica');
      for (const sql of statements) await tx.query(sql, [from, to]);
    });
    log(`  copies ${from}–${to} of ${factor - 1}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const t1 = performance.now();
  // A partitioned table's index is defined ON ONLY the parent: made again without ONLY, it is made on every partition.
  for (const index of indexes) await db.query(index.definition.replace(/ ON ONLY /, ' ON '));
  log(`  ${indexes.length} secondary indexes built again: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  for (const table of [...Object.keys(MAPPED_IDS), 'identities', 'settlement_adjustments', 'case_events', 'outbox']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  // The copied tables only: a database-wide VACUUM would also walk every other schema (other benches' years, tests).
  await db.query(`VACUUM ANALYZE ${TABLES.join(', ')}`);
}

/** INSERT … SELECT of a table's original rows for copies $1 to $2 (k), each under ids shifted by k times the originals' largest. */
function copyStatement(table: string, columns: readonly string[], max: Record<string, number>): string {
  const shift = (key: string, column: string) => `${column} + k * ${max[key]!}::bigint`;
  const list: { name: string; value: string }[] = [];
  for (const c of columns) {
    if (c === 'id') {
      const key = MAPPED_IDS[table];
      if (key) list.push({ name: c, value: shift(key, c) });
      continue; // a serial id of its own: the copy gets a new one
    }
    const ref = REFERENCES[c];
    if (ref) list.push({ name: c, value: shift(ref, c) });
    else if (table === 'persons' && c === 'id_number') list.push({ name: c, value: idNumberOf('id', max) });
    else if (table === 'households' && c === 'code') list.push({ name: c, value: `code || '~' || k` });
    else if (table === 'persons' && c === 'qr_token') list.push({ name: c, value: `qr_token || '~' || k` });
    else if ((table === 'settlements' || table === 'settlement_keys') && c === 'transaction_id') list.push({ name: c, value: `transaction_id || '~' || k` });
    else if (c === 'application_id' || c === 'chronic_approval_id') list.push({ name: c, value: 'NULL' });
    else if (table === 'case_events' && c === 'detail') list.push({ name: c, value: `CASE WHEN detail ? 'alertId' THEN detail || jsonb_build_object('alertId', (detail->>'alertId')::bigint + k * ${max.alert!}::bigint) ELSE detail END` });
    else if (table === 'outbox' && (c === 'dedupe_key' || c === 'payload')) list.push({ name: c, value: pushColumn(c, max) });
    else list.push({ name: c, value: c });
  }
  const mapped = MAPPED_IDS[table];
  const reference = ['person_id', 'settlement_id', 'case_id'].find((c) => columns.includes(c))!;
  const template = mapped ? `id <= ${max[mapped]}` : `${reference} <= ${max[REFERENCES[reference]!]}`;
  // The originals read once per statement; copies one after another (the lateral scan runs again for each k), so ids
  // stay ascending in the heap as the service wrote them.
  return `WITH t AS MATERIALIZED (SELECT * FROM ${table} WHERE ${template})
    INSERT INTO ${table} (${list.map((l) => l.name).join(', ')})
    SELECT ${list.map((l) => l.value).join(', ')} FROM generate_series($1::int, $2::int) AS g(k) CROSS JOIN LATERAL (SELECT * FROM t WHERE g.k IS NOT NULL) x`;
}

/**
 * A copied push's dedupe key and payload: the service's (cases.ts, caseOpeningCtes) with the copy's alert, case and
 * person in them — the same keys, the same width.
 */
function pushColumn(column: 'dedupe_key' | 'payload', max: Record<string, number>): string {
  const alert = `((payload->>'alertId')::bigint + k * ${max.alert!}::bigint)`;
  const key = `'sanbao-alert-' || ${alert} || '-' || department`;
  if (column === 'dedupe_key') return key;
  return `payload || jsonb_build_object('dedupeKey', ${key}, 'caseId', case_id + k * ${max.case!}::bigint, 'alertId', ${alert},
    'person', (payload->'person') || jsonb_build_object('id', (payload->'person'->>'id')::bigint + k * ${max.person!}::bigint,
      'idNumber', ${idNumberOf(`(payload->'person'->>'id')::bigint`, max)}, 'householdCode', (payload->'person'->>'householdCode') || '~' || k))`;
}
