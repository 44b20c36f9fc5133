-- A roster covers one division (a county, or a township): a newer roster ends
-- only the identities of people inside it, so one region's roster never touches another's.
ALTER TABLE rosters ADD COLUMN division_code text NOT NULL DEFAULT '' ;
DROP INDEX rosters_kind;
CREATE INDEX rosters_kind ON rosters (department, identity, division_code, id);
