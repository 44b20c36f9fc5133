-- Issue 14: monthly clearing of hospitals and its year end, bank accounts
-- (numbers encrypted at rest, AES-GCM, only the last four digits in clear),
-- bank payment batches, and assistance payouts with maker-checker.

CREATE TABLE bank_batches (
  id         bigserial PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('clearing', 'payout')),
  reference  text NOT NULL UNIQUE,
  lines      int NOT NULL CHECK (lines >= 0),
  total_fen  bigint NOT NULL CHECK (total_fen >= 0),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clearings (
  id                bigserial PRIMARY KEY,
  facility_id       bigint NOT NULL REFERENCES facilities (id),
  kind              text NOT NULL CHECK (kind IN ('monthly', 'year_end')),
  -- 'YYYY-MM' for a month; 'YYYY' for a year end. One clearing each: corrections are later entries, never edits.
  period            text NOT NULL CHECK (period ~ '^\d{4}(-\d{2})?$'),
  year              int NOT NULL,
  policy_id         text,
  bills             jsonb NOT NULL,  -- per ledger fund: settlements, reversals, adjustments together
  detail            jsonb NOT NULL,  -- the parts: settlements, reversals, adjustments per fund; review flags; DRG discharges; budget
  review_deductions bigint NOT NULL DEFAULT 0,
  drg_difference    bigint NOT NULL DEFAULT 0,
  deposit_rate_bp   int NOT NULL DEFAULT 0,
  deposit_withheld  bigint NOT NULL DEFAULT 0,
  deposit_released  bigint NOT NULL DEFAULT 0,
  deposit_forfeited bigint NOT NULL DEFAULT 0,
  over_budget       bigint NOT NULL DEFAULT 0,
  payments          jsonb NOT NULL,  -- per ledger fund: what it pays the hospital
  net_fen           bigint NOT NULL,
  batch_id          bigint REFERENCES bank_batches (id),
  cleared_by        text NOT NULL,
  cleared_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (facility_id, kind, period)
);
CREATE INDEX clearings_period ON clearings (period);

-- A review deduction counts in exactly one clearing.
CREATE TABLE clearing_deductions (
  flag_id     bigint PRIMARY KEY REFERENCES review_flags (id),
  clearing_id bigint NOT NULL REFERENCES clearings (id),
  amount_fen  bigint NOT NULL
);

CREATE TABLE facility_bank_accounts (
  facility_id    bigint PRIMARY KEY REFERENCES facilities (id),
  account_cipher text NOT NULL,
  account_last4  text NOT NULL CHECK (account_last4 ~ '^\d{4}$'),
  account_name   text NOT NULL,
  bank_name      text NOT NULL,
  updated_by     text NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assistance_payouts (
  id             bigserial PRIMARY KEY,
  source         text NOT NULL CHECK (source IN ('application', 'exception')),
  source_id      bigint NOT NULL,
  person_id      bigint NOT NULL REFERENCES persons (id),
  year           int NOT NULL,
  amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
  granted_by     text NOT NULL, -- the maker: who granted the assistance; never its approver
  account_cipher text NOT NULL,
  account_last4  text NOT NULL CHECK (account_last4 ~ '^\d{4}$'),
  bank_name      text NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'approved', 'sent', 'paid', 'returned')),
  prepared_by    text NOT NULL,
  prepared_at    timestamptz NOT NULL DEFAULT now(),
  approved_by    text,
  approved_at    timestamptz,
  batch_id       bigint REFERENCES bank_batches (id),
  settled_at     timestamptz,
  returned_reason text,
  reissue_of     bigint REFERENCES assistance_payouts (id),
  CHECK (approved_by IS NULL OR (approved_by <> granted_by AND approved_by <> prepared_by))
);
-- One payout in flight per grant; a returned one may be re-issued.
CREATE UNIQUE INDEX assistance_payouts_live ON assistance_payouts (source, source_id) WHERE status <> 'returned';
CREATE INDEX assistance_payouts_status ON assistance_payouts (status, id);
