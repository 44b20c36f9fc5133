-- The monthly run reads only what changed (issue 18).
--
-- Each run records when it read (its transaction's start, the database's clock), the cut-off
-- it counted to, and the thresholds it applied: a later run of the year with the same
-- thresholds reads only the people changed since the earlier of the two instants (their
-- year-to-date, identities or person record), the others standing as that run left them.
ALTER TABLE monitoring_runs ADD COLUMN read_at timestamptz;
ALTER TABLE monitoring_runs ADD COLUMN cutoff timestamptz;
ALTER TABLE monitoring_runs ADD COLUMN thresholds jsonb;

-- People whose record changed (a division moved), and identities added or ended, since an instant.
-- Both change rarely (registration, roster imports), never on the settlement path. The
-- year-to-date (accumulators) has no such index on purpose: every settlement updates its
-- updated_at, and an index on it would make each of those updates write every index of the
-- table (no HOT update); the run filters a scan of it instead (docs/monitoring-run.md).
CREATE INDEX persons_updated ON persons (updated_at);
CREATE INDEX identities_changed ON identities ((coalesce(ended_at, created_at)));

-- A person's bills of a year in settlement order with what the run's walk reads of them, so the walk
-- over the people who need an alert reads this index alone (an index-only scan), not the year's rows.
-- It replaces the index on (person_id, year), whose readers it serves the same.
DROP INDEX settlements_person_year;
CREATE INDEX settlements_person_year ON settlements (person_id, year, id) INCLUDE (self_pay, settled_at, status, reversed_at, visit_id);
