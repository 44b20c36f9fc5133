-- Issue 11: case-by-case (一事一议) assistance approved above the caps is recovered when the bill it was
-- approved on is reversed. An exception is approved on an application; it is taken to be paid on the
-- application's bills in their order, each up to what the caps withheld on it (due − paid).
ALTER TABLE settlement_adjustments DROP CONSTRAINT IF EXISTS settlement_adjustments_kind_check;
ALTER TABLE settlement_adjustments ADD CONSTRAINT settlement_adjustments_kind_check
  CHECK (kind IN ('readjudication', 'assistance_recovery', 'exception_recovery'));
-- An exception_recovery's approval (its application_id is the approval's application).
ALTER TABLE settlement_adjustments ADD COLUMN exception_id bigint REFERENCES assistance_exceptions (id);
