-- A closed year's settlements partition can be detached (archived, issue 18,
-- docs/partitioning.md): nothing outside the partition family may point into
-- it by foreign key. So every table that referenced settlements(id) (the
-- fund ledger's journals, alerts, re-adjudications, adjustments, review
-- flags, …) references the settlement's idempotency key instead:
-- settlement_keys(settlement_id). The key table is not partitioned and keeps
-- its rows when a year is archived, so those references stay enforced (a
-- journal still names a settlement that was made, under its key) while the
-- settlement itself moves to the archive. Every settlement has its key (the
-- foreign key settlements_key_fkey), so each reference that held before holds
-- now; making them again checks every row once.
--
-- settlement_funds, settlement_bills and settlement_lines keep their foreign
-- key to settlements: they are partitioned with the same bounds and their
-- year's partitions are detached with the settlements'.

ALTER TABLE settlement_keys ADD CONSTRAINT settlement_keys_settlement_id UNIQUE (settlement_id);

ALTER TABLE settlement_id_ranges
  ADD COLUMN archived_at timestamptz,
  ADD COLUMN archived_by text,
  -- The settlements the range held when it was detached (its partitions are gone from the tables then).
  ADD COLUMN archived_settlements bigint,
  ADD CHECK ((archived_at IS NULL) = (archived_by IS NULL) AND (archived_at IS NULL) = (archived_settlements IS NULL));

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT c.conrelid::regclass AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE c.contype = 'f' AND c.confrelid = 'settlements'::regclass AND c.conparentid = 0 AND NOT t.relispartition
       AND c.conrelid NOT IN ('settlement_funds'::regclass, 'settlement_bills'::regclass, 'settlement_lines'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname,
      regexp_replace(r.def, 'REFERENCES \S*settlements\(id\)', 'REFERENCES settlement_keys(settlement_id)'));
  END LOOP;
END $$;
