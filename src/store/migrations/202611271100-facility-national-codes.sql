-- Facility codes take the national 12-character form (issue 15): H, the 6-digit
-- county-level division, 5 digits. A code stored in another form is given the
-- next free number of its division (in id order, so the demo's first hospital
-- becomes H51333000001); the old code is kept in former_code and each change is
-- audited. Keys are untouched: a hospital's HIS keeps working with its key.

ALTER TABLE facilities ADD COLUMN former_code text;

DO $$
DECLARE
  r record;
  n int;
  candidate text;
BEGIN
  FOR r IN SELECT id, code, division_code FROM facilities WHERE code !~ '^H[0-9]{11}$' ORDER BY id LOOP
    n := 0;
    LOOP
      n := n + 1;
      candidate := 'H' || substr(r.division_code, 1, 6) || lpad(n::text, 5, '0');
      EXIT WHEN NOT EXISTS (SELECT 1 FROM facilities WHERE code = candidate);
    END LOOP;
    UPDATE facilities SET former_code = r.code, code = candidate WHERE id = r.id;
    INSERT INTO audit_log (actor, action, entity, entity_id, detail)
      VALUES ('system', 'facility.recode', 'facility', r.id::text, jsonb_build_object('from', r.code, 'to', candidate));
  END LOOP;
END
$$;
