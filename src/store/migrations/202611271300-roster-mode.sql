-- A roster says what it does (issue 13): replace the whole list of a department and
-- identity for a division, add people only, or end the listed people's status only.
-- Rosters imported before this column existed replaced (the only meaning then).
ALTER TABLE rosters ADD COLUMN mode text NOT NULL DEFAULT 'replace' CHECK (mode IN ('replace', 'add', 'end'));
-- Marked to correct the register: names and villages of known people were updated from it (audited).
ALTER TABLE rosters ADD COLUMN corrects_register boolean NOT NULL DEFAULT false;
