/**
 * Walks the audit log's hash chain (migration 202611270202): every row must
 * name the hash of the row before it, its own hash must match its content, the
 * sequence must have no gap, and the last row must be the recorded tip.
 */
import type { Queryable } from '../db.ts';

export const GENESIS_HASH = '0'.repeat(64);
const BATCH = 5_000;

export type ChainCheck =
  | { ok: true; rows: number; tipHash: string }
  | { ok: false; rows: number; brokenAt: { id: number | null; chainSeq: number; reason: string } };

interface ChainRow {
  id: string;
  chain_seq: string;
  prev_hash: string;
  row_hash: string;
  recomputed: string;
}

export async function verifyAuditChain(q: Queryable, onProgress: (checked: number, total: number) => void = () => undefined): Promise<ChainCheck> {
  const [{ total } = { total: 0 }] = await q.query<{ total: number }>('SELECT count(*)::int AS total FROM audit_log');
  let seq = 0;
  let hash = GENESIS_HASH;
  for (;;) {
    const rows = await q.query<ChainRow & Record<string, unknown>>(
      `SELECT id::text, chain_seq::text, prev_hash, row_hash,
              audit_row_hash(prev_hash, chain_seq, id, at, actor, action, entity, entity_id, detail) AS recomputed
       FROM audit_log WHERE audit_log.chain_seq > $1 ORDER BY audit_log.chain_seq LIMIT $2`,
      [seq, BATCH],
    );
    for (const r of rows) {
      const id = Number(r.id);
      const rowSeq = Number(r.chain_seq);
      const broken = (reason: string): ChainCheck => ({ ok: false, rows: seq, brokenAt: { id, chainSeq: rowSeq, reason } });
      if (rowSeq !== seq + 1) return { ok: false, rows: seq, brokenAt: { id, chainSeq: seq + 1, reason: `row ${seq + 1} of the chain is missing (next is ${rowSeq})` } };
      if (r.prev_hash !== hash) return broken('it does not follow the row before it (previous hash differs)');
      if (r.recomputed !== r.row_hash) return broken('its content was changed after it was written (hash differs)');
      seq = rowSeq;
      hash = r.row_hash;
    }
    onProgress(seq, total);
    if (rows.length < BATCH) break;
  }
  const [tip] = await q.query<{ seq: string; hash: string }>('SELECT seq::text, hash FROM audit_chain_tip');
  if (!tip || Number(tip.seq) !== seq || tip.hash !== hash) {
    return { ok: false, rows: seq, brokenAt: { id: null, chainSeq: tip ? Number(tip.seq) : seq + 1, reason: 'rows at the end of the chain were removed (the recorded tip is not the last row)' } };
  }
  return { ok: true, rows: seq, tipHash: hash };
}
