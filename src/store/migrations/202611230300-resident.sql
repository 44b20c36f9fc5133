-- Resident self-service: one-time sign-in codes, resident sessions (separate
-- from staff sessions), and out-of-area filings (异地就医备案).

CREATE TABLE resident_otps (
  id          bigserial PRIMARY KEY,
  person_id   bigint NOT NULL REFERENCES persons (id),
  code_hash   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  attempts    int NOT NULL DEFAULT 0,
  used_at     timestamptz
);
CREATE INDEX resident_otps_person ON resident_otps (person_id, created_at);

CREATE TABLE resident_sessions (
  token_hash   text PRIMARY KEY,
  person_id    bigint NOT NULL REFERENCES persons (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz
);
CREATE INDEX resident_sessions_person ON resident_sessions (person_id);

CREATE TABLE out_of_area_filings (
  id                bigserial PRIMARY KEY,
  person_id         bigint NOT NULL REFERENCES persons (id),
  insured_division  text NOT NULL REFERENCES divisions (code),  -- 参保地
  treatment_place   text NOT NULL,                              -- 就医地, as written (a city or a hospital)
  treatment_division text,                                      -- its GB/T 2260 code when known
  reason            text NOT NULL CHECK (reason IN ('referral', 'resident_elsewhere', 'temporary', 'emergency')),
  valid_from        date NOT NULL,
  valid_to          date NOT NULL,
  channel           text NOT NULL CHECK (channel IN ('online', 'phone', 'window')),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  created_by        text NOT NULL,  -- resident:ID or staff:USERNAME
  created_at        timestamptz NOT NULL DEFAULT now(),
  cancelled_at      timestamptz,
  CHECK (valid_to >= valid_from)
);
CREATE INDEX out_of_area_filings_person ON out_of_area_filings (person_id, valid_from);
