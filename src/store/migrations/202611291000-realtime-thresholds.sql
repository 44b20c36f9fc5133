-- The monthly run's steady state trusts real time's judgement of the bills settled since the run before
-- (issue 18), when it knows real time judged them with the run's own thresholds.
--
-- Each process that settles records, once per year (kept in its memory), the thresholds it applies
-- (every monitoring threshold of the year's policies it loaded, as the run takes them: runThresholds):
-- one row per distinct set. A run trusts real time for a year only when every set recorded for it
-- equals its own, and the year is not marked here as having alerts imported or deleted outside real time.
CREATE TABLE realtime_thresholds (
  year        int NOT NULL,
  hash        text NOT NULL,  -- sha256 of the set as JSON: one row per distinct set
  thresholds  jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (year, hash)
);

-- Years whose alerts real time did not all raise (imported, or deleted outside real time): their runs
-- read every person changed since the run before, as before the trust.
CREATE TABLE monitoring_untrusted_years (
  year      int PRIMARY KEY,
  reason    text NOT NULL,
  marked_at timestamptz NOT NULL DEFAULT now()
);

-- Years settled before this migration were settled by processes that recorded nothing.
INSERT INTO monitoring_untrusted_years (year, reason)
SELECT DISTINCT year, 'settled before real time recorded its thresholds' FROM accumulators;

-- The adjustments made since an instant (a trusted steady state reads the people corrected since the run before).
CREATE INDEX settlement_adjustments_created ON settlement_adjustments (created_at);
