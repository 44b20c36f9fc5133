-- What the engine used of a visit beside its date (issue 15): an inpatient stay's discharge
-- date, the bill's date the engine settled it on (the discharge, when the stay ends in the
-- same year: a policy may pick its rules by it, and identities count on it), and a chronic
-- visit's catalogue category — so a re-adjudication and the monthly monitoring run see the
-- bill on the same terms as the first settlement. NULL bill_date: the visit date.
ALTER TABLE visits ADD COLUMN discharge_date date, ADD COLUMN bill_date date, ADD COLUMN chronic_category integer;
