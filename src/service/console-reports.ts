/**
 * Figures for the console's reports, scoped to the staff member's division:
 * coverage over time and by township, payments by fund and month (from
 * settlement_funds), alerts by department; the audit log; station delegations.
 */
import { DELEGABLE_ITEMS, type StaffContext } from '../domain/access.ts';
import { invalid, notFound } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { maskAuditDetail } from './register-changes.ts';
import { setDelegations } from './staff-auth.ts';

export async function coverageReport(q: Queryable, staff: StaffContext, year: number) {
  const [totals] = await q.query<{ persons: number; enrolled: number; pending: number }>(
    `SELECT count(*)::int AS persons,
            count(*) FILTER (WHERE e.status = 'enrolled')::int AS enrolled,
            count(*) FILTER (WHERE e.status IS DISTINCT FROM 'enrolled')::int AS pending
     FROM persons p LEFT JOIN enrollments e ON e.person_id = p.id AND e.year = $2
     WHERE p.division_code LIKE $1 || '%'`,
    [staff.divisionCode, year],
  );
  const overTime = await q.query<{ day: string; enrolled: number }>(
    `SELECT to_char(COALESCE(e.enrolled_at, e.updated_at), 'YYYY-MM-DD') AS day, count(*)::int AS enrolled
     FROM enrollments e JOIN persons p ON p.id = e.person_id
     WHERE p.division_code LIKE $1 || '%' AND e.year = $2 AND e.status = 'enrolled'
     GROUP BY 1 ORDER BY 1`,
    [staff.divisionCode, year],
  );
  let running = 0;
  const byTownship = await q.query<{ code: string; name: string; name_bo: string | null; name_en: string | null; persons: number; enrolled: number }>(
    `SELECT d.code, d.name, d.name_bo, d.name_en, count(p.id)::int AS persons, count(e.person_id) FILTER (WHERE e.status = 'enrolled')::int AS enrolled
     FROM divisions d
     LEFT JOIN persons p ON substr(p.division_code, 1, 9) = d.code AND p.division_code LIKE $1 || '%'
     LEFT JOIN enrollments e ON e.person_id = p.id AND e.year = $2
     WHERE d.level = 2 AND (d.code LIKE $1 || '%' OR $1 LIKE d.code || '%')
     GROUP BY d.code, d.name, d.name_bo, d.name_en ORDER BY d.code`,
    [staff.divisionCode, year],
  );
  return {
    year,
    ...totals!,
    overTime: overTime.map((r) => ({ day: r.day, enrolled: (running += r.enrolled) })),
    byTownship: byTownship.map((r) => ({ code: r.code, name: r.name, nameBo: r.name_bo, nameEn: r.name_en, persons: r.persons, enrolled: r.enrolled })),
  };
}

export async function paymentsReport(q: Queryable, staff: StaffContext, year: number) {
  const rows = await q.query<{ month: string; fund: string; amount: string | number; settlements: number }>(
    `SELECT to_char(v.visit_date, 'YYYY-MM') AS month, sf.fund, sum(sf.amount_fen)::bigint AS amount, count(*)::int AS settlements
     FROM settlement_funds sf JOIN settlements s ON s.id = sf.settlement_id JOIN visits v ON v.id = s.visit_id JOIN persons p ON p.id = s.person_id
     WHERE s.status = 'settled' AND s.year = $2 AND p.division_code LIKE $1 || '%'
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [staff.divisionCode, year],
  );
  const [selfPay] = await q.query<{ self_pay: string | number | null; total: string | number | null; n: number }>(
    `SELECT sum(s.self_pay)::bigint AS self_pay, sum(s.total_fen)::bigint AS total, count(*)::int AS n
     FROM settlements s JOIN persons p ON p.id = s.person_id WHERE s.status = 'settled' AND s.year = $2 AND p.division_code LIKE $1 || '%'`,
    [staff.divisionCode, year],
  );
  return {
    year,
    settlements: selfPay!.n,
    total: Number(selfPay!.total ?? 0),
    selfPay: Number(selfPay!.self_pay ?? 0),
    byMonth: rows.map((r) => ({ month: r.month, fund: r.fund, amount: Number(r.amount) })),
  };
}

export async function alertsReport(q: Queryable, staff: StaffContext, year: number) {
  const rows = await q.query<{ department: string; risk: string; alerts: number }>(
    `SELECT dep AS department, a.risk, count(*)::int AS alerts
     FROM alerts a JOIN persons p ON p.id = a.person_id, unnest(a.departments) AS dep
     WHERE a.year = $2 AND p.division_code LIKE $1 || '%'
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [staff.divisionCode, year],
  );
  return { year, byDepartment: rows };
}

export async function auditLog(q: Queryable, filter: { limit: number; before?: number | undefined; action?: string | undefined }) {
  const rows = await q.query<{ id: number; at: Date; actor: string; action: string; entity: string; entity_id: string; detail: unknown }>(
    `SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log
     WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR action LIKE $2 || '%')
     ORDER BY id DESC LIMIT $3`,
    [filter.before ?? null, filter.action ?? null, filter.limit],
  );
  return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, detail: maskAuditDetail(r.detail) }));
}

/** Townships under the staff member's division with the items delegated to their station. */
export async function listDelegations(q: Queryable, staff: StaffContext) {
  const rows = await q.query<{ code: string; name: string; name_bo: string | null; name_en: string | null; items: string[] | null; stations: number }>(
    `SELECT d.code, d.name, d.name_bo, d.name_en,
            (SELECT array_agg(sd.item ORDER BY sd.item) FROM station_delegations sd WHERE sd.division_code = d.code) AS items,
            (SELECT count(*)::int FROM staff_users u WHERE u.division_code = d.code AND u.role = 'station_clerk') AS stations
     FROM divisions d WHERE d.level = 2 AND d.code LIKE $1 || '%' ORDER BY d.code`,
    [staff.divisionCode],
  );
  return {
    available: Object.keys(DELEGABLE_ITEMS),
    townships: rows.map((r) => ({ code: r.code, name: r.name, nameBo: r.name_bo, nameEn: r.name_en, items: r.items ?? [], stations: r.stations })),
  };
}

export async function changeDelegations(q: Queryable, staff: StaffContext, divisionCode: string, items: readonly string[]): Promise<void> {
  const unknown = items.find((i) => !Object.hasOwn(DELEGABLE_ITEMS, i));
  if (unknown) throw invalid('UNKNOWN_ITEM', `"${unknown}" is not a delegable item (${Object.keys(DELEGABLE_ITEMS).join(', ')})`, 'items');
  const [division] = await q.query<{ level: number }>('SELECT level FROM divisions WHERE code = $1', [divisionCode]);
  if (!division || division.level !== 2) throw notFound('TOWNSHIP_NOT_FOUND', `${divisionCode} is not a township`);
  await setDelegations(q, divisionCode, [...new Set(items)], staff);
}
