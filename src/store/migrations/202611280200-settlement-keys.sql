-- The hospitals' idempotency key, global across years, in a table of its own
-- (issue 18): settlements is partitioned by id range (next migration), and a
-- partitioned table's unique keys must contain its partition key, so
-- UNIQUE (facility_id, transaction_id) cannot stay on settlements.
--
-- The settle statement writes the key in the same statement as the settlement;
-- a retry racing the first attempt meets this primary key. No foreign key to
-- settlements: a closed year can be archived (its partition detached) while
-- its keys stay, so a transaction id is never settled twice.
CREATE TABLE settlement_keys (
  facility_id    bigint NOT NULL,
  transaction_id text NOT NULL,
  settlement_id  bigint NOT NULL,
  PRIMARY KEY (facility_id, transaction_id)
);
INSERT INTO settlement_keys (facility_id, transaction_id, settlement_id)
  SELECT facility_id, transaction_id, id FROM settlements;
ALTER TABLE settlements DROP CONSTRAINT settlements_facility_id_transaction_id_key;
