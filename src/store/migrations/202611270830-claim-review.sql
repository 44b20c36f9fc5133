-- Claim review (智能审核, issue 12): the rules in force (data), the flags they
-- raise on settlements (in real time and in batch runs over a period), and the
-- reviewers' decisions: accept, deduct (an amount and a reason, for the
-- hospital's clearing) or send back for the hospital's explanation.

CREATE TABLE review_rules (
  id         text PRIMARY KEY,
  enabled    boolean NOT NULL DEFAULT true,
  params     jsonb NOT NULL DEFAULT '{}',
  updated_by text NOT NULL DEFAULT 'migration',
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO review_rules (id, params) VALUES
  ('duplicate_lines', '{}'), ('quantity_beyond_stay', '{}'), ('sex_restriction', '{}'), ('age_restriction', '{}'),
  ('restricted_diagnosis', '{}'), ('readmission', '{"days": 15, "sameFacility": true}'), ('concurrent_stays', '{}'),
  ('outpatient_splitting', '{"maxPerDay": 1}');

CREATE TABLE review_runs (
  id          bigserial PRIMARY KEY,
  period_from date NOT NULL,
  period_to   date NOT NULL,
  settlements int NOT NULL DEFAULT 0,
  lines       bigint NOT NULL DEFAULT 0,
  flags_new   int NOT NULL DEFAULT 0,
  started_by  text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE TABLE review_flags (
  id                    bigserial PRIMARY KEY,
  dedupe_key            text NOT NULL UNIQUE,
  rule                  text NOT NULL,
  settlement_id         bigint NOT NULL REFERENCES settlements (id),
  facility_id           bigint NOT NULL REFERENCES facilities (id),
  person_id             bigint NOT NULL REFERENCES persons (id),
  visit_date            date NOT NULL,
  line_no               int,
  related_settlement_id bigint,
  amount_fen            bigint NOT NULL CHECK (amount_fen >= 0),
  message               text NOT NULL,
  source                text NOT NULL CHECK (source IN ('realtime', 'batch')),
  run_id                bigint REFERENCES review_runs (id),
  status                text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'deducted', 'returned', 'explained')),
  deduct_fen            bigint CHECK (deduct_fen > 0),
  reason                text,
  explanation           text,
  decided_by            text,
  decided_at            timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'deducted') = (deduct_fen IS NOT NULL))
);
CREATE INDEX review_flags_status ON review_flags (status, id);
CREATE INDEX review_flags_facility ON review_flags (facility_id, visit_date);
CREATE INDEX review_flags_settlement ON review_flags (settlement_id);
