-- Payments a clerk can stand behind (issue 13): every payment, part-payments and
-- payments on behalf included, has its receipt number; the day the money was
-- received is kept (the collection window is judged on it).
ALTER TABLE payments ADD COLUMN receipt_no text GENERATED ALWAYS AS ('SB' || year::text || '-' || lpad(id::text, 8, '0')) STORED;
CREATE UNIQUE INDEX payments_receipt_no ON payments (receipt_no);
ALTER TABLE payments ADD COLUMN paid_on date NOT NULL DEFAULT CURRENT_DATE;
ALTER TABLE payment_batches ADD COLUMN paid_on date NOT NULL DEFAULT CURRENT_DATE;

-- Cover (待遇享受期): the first day an enrollment covers bills, and how it was decided
-- (in the collection window, a waiting period and its parts, or an exempt group).
-- NULL: enrolled before these rules, covered the whole year.
ALTER TABLE enrollments ADD COLUMN cover_from date;
ALTER TABLE enrollments ADD COLUMN cover_decision jsonb;
