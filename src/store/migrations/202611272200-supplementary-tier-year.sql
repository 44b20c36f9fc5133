-- Issue 11: each supplementary tier (county mutual aid, large-amount, civil-servant subsidy …)
-- keeps its own yearly accumulator, so its cap applies per tier: { "<tier id>": fen, … }.
-- The `supplementary` column stays the whole fund's year (a policy's one-section form counts on it).
-- A year whose tiers do not add up to the fund's year (settled before this) is read as not kept by
-- tier: the fund's year then bounds each cap, never paying more than a cap.
ALTER TABLE accumulators ADD COLUMN supplementary_tiers jsonb NOT NULL DEFAULT '{}'::jsonb;

-- a + sign × b, key by key, in fen; keys that come to 0 are dropped (an empty year is '{}').
CREATE FUNCTION fen_by_key_add(a jsonb, b jsonb, sign int DEFAULT 1) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM (
    SELECT k, sum(v)::bigint AS v FROM (
      SELECT key AS k, value::text::bigint AS v FROM jsonb_each(coalesce(a, '{}'::jsonb))
      UNION ALL SELECT key, sign * value::text::bigint FROM jsonb_each(coalesce(b, '{}'::jsonb))
    ) x GROUP BY k HAVING sum(v) <> 0
  ) y
$$;

-- What each tier paid on a bill: the settlement's own rows (readjudication_id NULL), then each
-- re-adjudication's difference. A bill stands at the sum of its rows, tier by tier. Only bills
-- a listed supplementary tier paid have rows.
CREATE TABLE supplementary_tier_payments (
  settlement_id     bigint NOT NULL REFERENCES settlements (id),
  readjudication_id bigint REFERENCES readjudications (id),
  tier              text NOT NULL,
  amount_fen        bigint NOT NULL
);
CREATE INDEX supplementary_tier_payments_settlement ON supplementary_tier_payments (settlement_id);
