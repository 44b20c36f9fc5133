-- Every settlement has its own idempotency key (issue 18): a foreign key from
-- the settlement to its key row, (facility, transaction id, settlement id).
-- A writer that inserts a settlement without its key in the same statement
-- fails at once, and a second settlement under a key that is another's
-- cannot exist: what UNIQUE (facility_id, transaction_id) on settlements
-- guaranteed before it was partitioned, declared again.
ALTER TABLE settlement_keys ADD CONSTRAINT settlement_keys_settlement UNIQUE (facility_id, transaction_id, settlement_id);
ALTER TABLE settlements ADD CONSTRAINT settlements_key_fkey FOREIGN KEY (facility_id, transaction_id, id)
  REFERENCES settlement_keys (facility_id, transaction_id, settlement_id);
