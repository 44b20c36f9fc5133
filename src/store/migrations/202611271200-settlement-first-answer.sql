-- The alerts a settlement's first answer listed, so a retry answers the first answer whole
-- (issue 15): the alerts table keeps each alert once per person, year and threshold, and a
-- later re-adjudication may withdraw or move it, so it cannot say what the first answer was.
ALTER TABLE settlements ADD COLUMN first_alerts jsonb;
