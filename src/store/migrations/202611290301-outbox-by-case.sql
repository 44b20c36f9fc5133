-- The pushes of each case, with what the monthly run's statistics count of them (department, delivered or not),
-- so the statistics read this index, not the pushes' payloads (issue 18, docs/monitoring-run.md).
CREATE INDEX outbox_case ON outbox (case_id) INCLUDE (department, status);
