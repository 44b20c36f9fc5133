-- The audit hash chain's tip moved once per statement instead of once per row
-- (issue 9, settle throughput). Until now every audit row read its chain's tip
-- (SELECT … FOR UPDATE) and wrote it back (UPDATE): a batch of 16 settlements
-- updated the tip 16 times in one statement — 16 row versions, 16 WAL records,
-- about 0.05 ms a row. Now the row trigger locks and reads the tip on the
-- transaction's first audit row of a statement, carries the chain on in a
-- transaction-local setting (sanbao.audit_tip: "seq:hash") row by row, and an
-- AFTER … FOR EACH STATEMENT trigger writes the tip once at the statement's end.
--
-- What stays: every row is hashed with the row before it in its chain, under
-- the tip's row lock held to commit; a transaction keeps one chain
-- (sanbao.audit_stream); `sanbao audit verify` is unchanged. A statement that
-- fails, or a savepoint rolled back, takes the setting back with it (settings
-- made with set_config(…, true) follow subtransactions), so the carried tip is
-- never ahead of the table's. Several INSERTs into audit_log in one statement
-- (CTEs) share the carried tip; the statement trigger writes it once, and a
-- second firing finds nothing left to write.

CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tip record;
  carried text := current_setting('sanbao.audit_tip', true);
  held text := current_setting('sanbao.audit_stream', true);
  own smallint := pg_backend_pid() % 8;
  stream smallint;
  seq bigint;
  prev text;
BEGIN
  IF carried IS NOT NULL AND carried <> '' THEN
    -- Not the statement's first audit row: the chain goes on from the row before, lock held.
    stream := held::smallint;
    seq := split_part(carried, ':', 1)::bigint;
    prev := split_part(carried, ':', 2);
  ELSE
    IF held IS NOT NULL AND held <> '' THEN
      SELECT t.stream, t.seq, t.hash INTO tip FROM audit_chain_tip t WHERE t.stream = held::smallint FOR UPDATE;
    ELSE
      SELECT t.stream, t.seq, t.hash INTO tip FROM audit_chain_tip t ORDER BY (t.stream - own + 8) % 8 LIMIT 1 FOR UPDATE SKIP LOCKED;
      IF NOT FOUND THEN
        SELECT t.stream, t.seq, t.hash INTO tip FROM audit_chain_tip t WHERE t.stream = own FOR UPDATE;
      END IF;
      PERFORM set_config('sanbao.audit_stream', tip.stream::text, true);
    END IF;
    stream := tip.stream;
    seq := tip.seq;
    prev := tip.hash;
  END IF;
  NEW.chain_stream := stream;
  NEW.chain_seq := seq + 1;
  NEW.prev_hash := prev;
  NEW.row_hash := audit_row_hash(prev, NEW.chain_seq, NEW.id, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_id, NEW.detail);
  PERFORM set_config('sanbao.audit_tip', NEW.chain_seq::text || ':' || NEW.row_hash, true);
  RETURN NEW;
END
$$;

-- At the end of each statement that wrote audit rows: the tip the rows carried, written once.
CREATE FUNCTION audit_log_chain_tip() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  carried text := current_setting('sanbao.audit_tip', true);
BEGIN
  IF carried IS NOT NULL AND carried <> '' THEN
    UPDATE audit_chain_tip SET seq = split_part(carried, ':', 1)::bigint, hash = split_part(carried, ':', 2)
      WHERE stream = current_setting('sanbao.audit_stream')::smallint;
    PERFORM set_config('sanbao.audit_tip', '', true);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER audit_log_chain_tip AFTER INSERT ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_chain_tip();
