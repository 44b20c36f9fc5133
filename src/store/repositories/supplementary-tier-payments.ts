/**
 * What each supplementary tier paid on each bill (issue 11): a settlement's own
 * rows, then each re-adjudication's difference, so that a re-adjudication can
 * take a bill's tiers out of the year and put the new ones in.
 */
import type { Queryable } from '../db.ts';
import type { Param } from './settlement-bills.ts';

/** The settle statement's part: the bill's per-tier payments (none written when no tier paid). */
export function tierPaymentCtes(settlementId: string, tiers: Readonly<Record<string, number>>, $: Param): string[] {
  const ids = Object.keys(tiers).filter((id) => tiers[id] !== 0);
  if (ids.length === 0) return [];
  return [
    `stp AS (
       INSERT INTO supplementary_tier_payments (settlement_id, tier, amount_fen)
       SELECT ${settlementId}, t.tier, t.amount FROM unnest(${$(ids)}::text[], ${$(ids.map((id) => tiers[id]!))}::bigint[]) AS t(tier, amount))`,
  ];
}

/** What each tier stands at on each of these bills (settlement plus re-adjudications), by settlement id. */
export async function tierPaymentsOf(q: Queryable, settlementIds: readonly number[]): Promise<Map<number, Record<string, number>>> {
  const out = new Map<number, Record<string, number>>();
  if (settlementIds.length === 0) return out;
  const rows = await q.query<{ settlement_id: number; tier: string; amount: number | string }>(
    `SELECT settlement_id, tier, sum(amount_fen)::bigint AS amount FROM supplementary_tier_payments
     WHERE settlement_id = ANY($1::bigint[]) GROUP BY settlement_id, tier HAVING sum(amount_fen) <> 0`,
    [settlementIds],
  );
  for (const r of rows) {
    const id = Number(r.settlement_id);
    const bill = out.get(id) ?? {};
    bill[r.tier] = Number(r.amount);
    out.set(id, bill);
  }
  return out;
}

/** A re-adjudication's per-tier differences on the bills it settled again (zero differences are not written). */
export async function insertTierDifferences(
  q: Queryable,
  readjudicationId: number,
  differences: readonly { settlementId: number; tiers: Readonly<Record<string, number>> }[],
): Promise<void> {
  const rows = differences.flatMap((d) => Object.entries(d.tiers).filter(([, fen]) => fen !== 0).map(([tier, fen]) => ({ s: d.settlementId, tier, fen })));
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO supplementary_tier_payments (settlement_id, readjudication_id, tier, amount_fen)
     SELECT x.s, $1, x.tier, x.fen FROM jsonb_to_recordset($2::jsonb) AS x(s bigint, tier text, fen bigint)`,
    [readjudicationId, JSON.stringify(rows)],
  );
}
