-- The audit hash chain (202611270202) becomes eight chains, one chosen by the
-- writing connection: with one chain every audited transaction — every
-- settlement — waited for the one before it to commit. Each chain still links
-- every row to the one before it under its tip's row lock; rows already
-- written stay on chain 0. `sanbao audit verify` walks every chain.

ALTER TABLE audit_log ADD COLUMN chain_stream smallint NOT NULL DEFAULT 0;
ALTER TABLE audit_log ALTER COLUMN chain_stream DROP DEFAULT;
DROP INDEX audit_log_chain_seq;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain_stream, chain_seq);

ALTER TABLE audit_chain_tip DROP COLUMN one;
ALTER TABLE audit_chain_tip ADD COLUMN stream smallint NOT NULL DEFAULT 0;
ALTER TABLE audit_chain_tip ALTER COLUMN stream DROP DEFAULT;
ALTER TABLE audit_chain_tip ADD PRIMARY KEY (stream);
ALTER TABLE audit_chain_tip ADD CONSTRAINT audit_chain_tip_stream CHECK (stream BETWEEN 0 AND 7);
INSERT INTO audit_chain_tip (stream, seq, hash) SELECT g, 0, repeat('0', 64) FROM generate_series(1, 7) g;

CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tip record;
BEGIN
  -- A connection runs one transaction at a time, so a transaction holds one chain's lock only (no deadlock).
  NEW.chain_stream := pg_backend_pid() % 8;
  SELECT seq, hash INTO tip FROM audit_chain_tip WHERE stream = NEW.chain_stream FOR UPDATE;
  NEW.chain_seq := tip.seq + 1;
  NEW.prev_hash := tip.hash;
  NEW.row_hash := audit_row_hash(tip.hash, NEW.chain_seq, NEW.id, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_id, NEW.detail);
  UPDATE audit_chain_tip SET seq = NEW.chain_seq, hash = NEW.row_hash WHERE stream = NEW.chain_stream;
  RETURN NEW;
END
$$;
