-- What the engine used of a visit beside its date (issue 15): an inpatient stay's discharge
-- date (a policy may pick its rules by it) and a chronic visit's catalogue category, so a
-- re-adjudication settles the bill on the same terms as the first time.
ALTER TABLE visits ADD COLUMN discharge_date date, ADD COLUMN chronic_category integer;
