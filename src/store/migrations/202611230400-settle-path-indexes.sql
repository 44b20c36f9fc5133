-- The settle path writes every index of the tables it inserts into. Two were
-- never read: visits are always reached through settlements.visit_id, and the
-- audit log is read in id order (ids follow time). Fewer index writes per bill.
DROP INDEX IF EXISTS visits_person;
DROP INDEX IF EXISTS audit_at;
