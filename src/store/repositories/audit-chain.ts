/**
 * Walks the audit log's hash chains (migrations 202611270202 and -0203): in each chain
 * every row must name the hash of the row before it, its own hash must match
 * its content, the sequence must have no gap, and the last row must be the
 * chain's recorded tip; no row may sit outside the known chains.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../db.ts';

export const GENESIS_HASH = '0'.repeat(64);
const BATCH = 5_000;

export interface ChainBreak {
  /** The first broken row (null when rows at a chain's end were removed). */
  id: number | null;
  stream: number;
  chainSeq: number;
  reason: string;
}

export type ChainCheck =
  | { ok: true; rows: number; tipHash: string }
  | { ok: false; rows: number; brokenAt: ChainBreak };

interface ChainRow {
  id: string;
  seq: string;
  prev_hash: string;
  row_hash: string;
  recomputed: string;
}

async function verifyStream(
  q: Queryable, stream: number, tip: { seq: number; hash: string }, progress: (rows: number) => void,
): Promise<{ rows: number; hash: string; broken?: ChainBreak }> {
  let seq = 0;
  let hash = GENESIS_HASH;
  for (;;) {
    const rows = await q.query<ChainRow & Record<string, unknown>>(
      `SELECT a.id::text AS id, a.chain_seq::text AS seq, a.prev_hash, a.row_hash,
              audit_row_hash(a.prev_hash, a.chain_seq, a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.detail) AS recomputed
       FROM audit_log a WHERE a.chain_stream = $1 AND a.chain_seq > $2 ORDER BY a.chain_seq LIMIT $3`,
      [stream, seq, BATCH],
    );
    for (const r of rows) {
      const id = Number(r.id);
      const rowSeq = Number(r.seq);
      const broken = (reason: string, at = rowSeq) => ({ rows: seq, hash, broken: { id, stream, chainSeq: at, reason } });
      if (rowSeq !== seq + 1) return broken(`row ${seq + 1} of chain ${stream} is missing (the next is ${rowSeq})`, seq + 1);
      if (r.prev_hash !== hash) return broken('it does not follow the row before it (previous hash differs)');
      if (r.recomputed !== r.row_hash) return broken('its content was changed after it was written (hash differs)');
      seq = rowSeq;
      hash = r.row_hash;
    }
    progress(rows.length);
    if (rows.length < BATCH) break;
  }
  if (tip.seq !== seq || tip.hash !== hash) {
    return { rows: seq, hash, broken: { id: null, stream, chainSeq: seq + 1, reason: `rows at the end of chain ${stream} were removed (its recorded tip is not its last row)` } };
  }
  return { rows: seq, hash };
}

export async function verifyAuditChain(q: Queryable, onProgress: (checked: number, total: number) => void = () => undefined): Promise<ChainCheck> {
  const [{ total } = { total: 0 }] = await q.query<{ total: number }>('SELECT count(*)::int AS total FROM audit_log');
  const tips = await q.query<{ stream: number; seq: string; hash: string }>('SELECT stream, seq::text AS seq, hash FROM audit_chain_tip ORDER BY stream');
  let checked = 0;
  const breaks: ChainBreak[] = [];
  const heads: string[] = [];
  for (const tip of tips) {
    const result = await verifyStream(q, tip.stream, { seq: Number(tip.seq), hash: tip.hash }, (n) => onProgress((checked += n), total));
    if (result.broken) breaks.push(result.broken);
    heads.push(result.hash);
  }
  const [outside] = await q.query<{ id: string | null }>(
    'SELECT min(id)::text AS id FROM audit_log WHERE chain_stream NOT IN (SELECT stream FROM audit_chain_tip)',
  );
  if (outside?.id) breaks.push({ id: Number(outside.id), stream: -1, chainSeq: 0, reason: 'it belongs to no known chain (a chain tip was removed)' });
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
  if (breaks.length > 0) {
    // The first broken row by id (a removed tail, which has no row, comes last).
    breaks.sort((a, b) => (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER));
    const brokenAt = breaks[0]!;
    const [before] = brokenAt.id === null ? [{ n: rows[0]!.n }] : await q.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE id < $1', [brokenAt.id]);
    return { ok: false, rows: before!.n, brokenAt };
  }
  // One fingerprint of the whole log: the hash of the chains' last hashes, in chain order.
  return { ok: true, rows: rows[0]!.n, tipHash: createHash('sha256').update(heads.join('')).digest('hex') };
}

