-- No new bill into a closed year either: the insert itself is refused (no extra round trip on the settle path).
CREATE FUNCTION refuse_settlement_in_closed_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM closed_years WHERE year = NEW.year) THEN
    RAISE EXCEPTION 'year % is closed', NEW.year USING ERRCODE = 'SB001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER settlements_refuse_closed_year BEFORE INSERT ON settlements
  FOR EACH ROW EXECUTE FUNCTION refuse_settlement_in_closed_year();
