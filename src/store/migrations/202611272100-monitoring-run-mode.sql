-- How each monthly run found the yearly self-pay: 'full' (every settlement of the year re-aggregated)
-- or 'incremental' (from the year-to-date real time keeps, and the bills changed after the cut-off).
ALTER TABLE monitoring_runs ADD COLUMN mode text NOT NULL DEFAULT 'full' CHECK (mode IN ('full', 'incremental'));
