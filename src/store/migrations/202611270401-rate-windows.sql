-- Rate limits shared by every instance of the service: one counter per bucket
-- (e.g. "identify:facility:12", "otp:address:203.0.113.5") and fixed window,
-- incremented in one statement so parallel requests never under-count.
CREATE TABLE rate_windows (
  bucket       text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         int NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_windows_start ON rate_windows (window_start);
