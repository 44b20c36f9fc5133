-- An audit log that cannot be edited silently (issue 10, finding 12): each row
-- stores the hash of the row before it and the hash of its own content, taken
-- under the row lock of audit_chain_tip in the inserting transaction, so
-- concurrent writers chain one after another. `sanbao audit verify` walks the
-- chain. Rows are also refused UPDATE, DELETE and TRUNCATE by trigger.

ALTER TABLE audit_log ADD COLUMN chain_seq bigint;
ALTER TABLE audit_log ADD COLUMN prev_hash text;
ALTER TABLE audit_log ADD COLUMN row_hash text;

CREATE TABLE audit_chain_tip (
  one  boolean PRIMARY KEY DEFAULT true CHECK (one),
  seq  bigint NOT NULL,
  hash text NOT NULL
);

-- The content of a row as hashed: a JSON array (unambiguous), the time in UTC to the microsecond.
CREATE FUNCTION audit_row_hash(prev text, seq bigint, id bigint, at timestamptz, actor text, action text, entity text, entity_id text, detail jsonb)
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(prev || jsonb_build_array(seq, id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action, entity, entity_id, detail)::text, 'UTF8')), 'hex')
$$;

-- Rows written before this migration are chained in id order.
DO $$
DECLARE
  r record;
  h text := repeat('0', 64);
  n bigint := 0;
BEGIN
  FOR r IN SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log ORDER BY id LOOP
    n := n + 1;
    UPDATE audit_log SET chain_seq = n, prev_hash = h,
      row_hash = audit_row_hash(h, n, r.id, r.at, r.actor, r.action, r.entity, r.entity_id, r.detail)
    WHERE id = r.id RETURNING row_hash INTO h;
  END LOOP;
  INSERT INTO audit_chain_tip (seq, hash) VALUES (n, h);
END
$$;

ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN row_hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain_seq);

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tip record;
BEGIN
  SELECT seq, hash INTO tip FROM audit_chain_tip FOR UPDATE;
  NEW.chain_seq := tip.seq + 1;
  NEW.prev_hash := tip.hash;
  NEW.row_hash := audit_row_hash(tip.hash, NEW.chain_seq, NEW.id, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_id, NEW.detail);
  UPDATE audit_chain_tip SET seq = NEW.chain_seq, hash = NEW.row_hash;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
