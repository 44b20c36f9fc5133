-- Settlements and their children partitioned by id range, a range per year
-- (issue 18, docs/partitioning.md): settlements by id, settlement_funds,
-- settlement_bills and settlement_lines by settlement_id, with the same bounds,
-- so a closed year's rows detach together.
--
-- Every row stored so far goes into a first partition, <table>_before, ids
-- below 10^12; `sanbao year open YEAR` adds YEAR's partitions (ids
-- YEAR * 10^9 up to (YEAR + 1) * 10^9 - 1) and moves the id sequence there.
-- Until a year is opened, new settlements keep going into the range the
-- sequence is in: nothing at a hospital depends on `year open` having run.
--
-- The conversion is generic: each table is renamed <table>_before, a
-- partitioned table of the same columns, checks and defaults takes its name,
-- the old one is attached as its first partition (its rows are not copied),
-- and its keys, indexes and triggers are made again on the partitioned table
-- under their own names (the old ones are attached to them, not rebuilt).
-- Foreign keys from and to the four tables are dropped and made again against
-- the partitioned tables: the 11 referencing settlements(id) stay enforced.

CREATE TABLE settlement_id_ranges (
  year       int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  first_id   bigint NOT NULL,
  last_id    bigint NOT NULL,
  opened_at  timestamptz NOT NULL DEFAULT now(),
  opened_by  text NOT NULL,
  CHECK (first_id <= last_id)
);

CREATE FUNCTION sanbao_partition_by_id(tbl text, col text, upper_bound bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  legacy text := tbl || '_before';
  keys text[] := '{}';
  indexes text[] := '{}';
  triggers text[] := '{}';
  r record;
  s text;
BEGIN
  FOR r IN SELECT c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
            WHERE c.conrelid = tbl::regclass AND c.contype IN ('p', 'u') LOOP
    keys := keys || format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, r.conname, r.def);
    EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', tbl, r.conname, r.conname || '_before');
  END LOOP;
  FOR r IN SELECT i.relname, pg_get_indexdef(i.oid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = tbl::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) LOOP
    indexes := indexes || r.def;
    EXECUTE format('ALTER INDEX %I RENAME TO %I', r.relname, r.relname || '_before');
  END LOOP;
  FOR r IN SELECT t.tgname, pg_get_triggerdef(t.oid) AS def FROM pg_trigger t WHERE t.tgrelid = tbl::regclass AND NOT t.tgisinternal LOOP
    triggers := triggers || r.def;
    EXECUTE format('DROP TRIGGER %I ON %I', r.tgname, tbl);
  END LOOP;
  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, legacy);
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING GENERATED) PARTITION BY RANGE (%I)', tbl, legacy, col);
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%s)', tbl, legacy, upper_bound);
  FOREACH s IN ARRAY keys || indexes || triggers LOOP
    EXECUTE s;
  END LOOP;
END $$;

-- Foreign keys from and to the four tables, as they are now; dropped, then made again on the partitioned tables.
CREATE TEMP TABLE sanbao_fks AS
  SELECT r.relname AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
   WHERE c.contype = 'f' AND (c.conrelid IN ('settlements'::regclass, 'settlement_funds'::regclass, 'settlement_bills'::regclass, 'settlement_lines'::regclass)
      OR c.confrelid IN ('settlements'::regclass, 'settlement_funds'::regclass, 'settlement_bills'::regclass, 'settlement_lines'::regclass));

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tbl, conname FROM sanbao_fks LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END $$;

SELECT sanbao_partition_by_id('settlements', 'id', 1000000000000);
SELECT sanbao_partition_by_id('settlement_funds', 'settlement_id', 1000000000000);
SELECT sanbao_partition_by_id('settlement_bills', 'settlement_id', 1000000000000);
SELECT sanbao_partition_by_id('settlement_lines', 'settlement_id', 1000000000000);
-- The id sequence belongs to the partitioned table, not to the first partition (a detached year must not take it along).
ALTER SEQUENCE settlements_id_seq OWNED BY settlements.id;

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tbl, conname, def FROM sanbao_fks LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
  END LOOP;
END $$;

DROP TABLE sanbao_fks;
DROP FUNCTION sanbao_partition_by_id(text, text, bigint);
