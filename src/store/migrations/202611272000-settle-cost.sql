-- The cost of a settlement (issues 9 and 18): fewer bytes and less work per bill.
-- Measured before and after in docs/settle-performance.md.

-- Steps stored compactly (src/store/repositories/steps-codec.ts): JSON text of
-- about a quarter of the jsonb objects' size. Rows written before keep their
-- JSON objects as text, which the reader takes as they are.
ALTER TABLE settlements ALTER COLUMN steps TYPE text USING steps::text;

-- Written on every bill, read by nothing: reports of a year read most of the
-- year's rows (a scan), a person's bills go through settlements_person_year.
DROP INDEX IF EXISTS settlements_year_status;

-- The audit chain a transaction writes to: the connection's own chain when no
-- one holds it, else any chain free at that moment (SKIP LOCKED), else it waits
-- for its own. A transaction keeps to the chain it took first (a transaction-local
-- setting), so it holds one chain's lock at most and its rows stay in one chain.
-- Before, two connections whose process ids agreed modulo 8 waited for each
-- other's commit on every settlement.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tip record;
  held text := current_setting('sanbao.audit_stream', true);
  own smallint := pg_backend_pid() % 8;
BEGIN
  IF held IS NOT NULL AND held <> '' THEN
    SELECT stream, seq, hash INTO tip FROM audit_chain_tip WHERE stream = held::smallint FOR UPDATE;
  ELSE
    SELECT stream, seq, hash INTO tip FROM audit_chain_tip ORDER BY (stream - own + 8) % 8 LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      SELECT stream, seq, hash INTO tip FROM audit_chain_tip WHERE stream = own FOR UPDATE;
    END IF;
    PERFORM set_config('sanbao.audit_stream', tip.stream::text, true);
  END IF;
  NEW.chain_stream := tip.stream;
  NEW.chain_seq := tip.seq + 1;
  NEW.prev_hash := tip.hash;
  NEW.row_hash := audit_row_hash(tip.hash, NEW.chain_seq, NEW.id, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_id, NEW.detail);
  UPDATE audit_chain_tip SET seq = NEW.chain_seq, hash = NEW.row_hash WHERE stream = NEW.chain_stream;
  RETURN NEW;
END
$$;
