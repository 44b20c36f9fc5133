-- Itemised bills (issue 12): what the bureau computed of each settlement, line
-- by line against the catalogue; one row per settlement with the facts claim
-- review needs (stay, diagnosis), whether the bill was itemised or not.

CREATE TABLE settlement_bills (
  settlement_id          bigint PRIMARY KEY REFERENCES settlements (id),
  person_id              bigint NOT NULL REFERENCES persons (id),
  facility_id            bigint NOT NULL REFERENCES facilities (id),
  kind                   text NOT NULL,
  admission_date         date NOT NULL,
  discharge_date         date,
  diagnosis              text,
  -- 'itemised': the bureau priced the lines; 'unverified': the hospital's compliant amount was taken as sent
  verification           text NOT NULL CHECK (verification IN ('itemised', 'unverified')),
  declared_compliant_fen bigint,
  above_cap_fen          bigint NOT NULL DEFAULT 0 CHECK (above_cap_fen >= 0),
  excluded_fen           bigint NOT NULL DEFAULT 0 CHECK (excluded_fen >= 0),
  self_pay_first_fen     bigint NOT NULL DEFAULT 0 CHECK (self_pay_first_fen >= 0),
  chronic_disease_region text,
  chronic_disease_code   text,
  chronic_approval_id    bigint,
  chronic_fund_fen       bigint NOT NULL DEFAULT 0 CHECK (chronic_fund_fen >= 0),
  CHECK (discharge_date IS NULL OR discharge_date >= admission_date)
);
CREATE INDEX settlement_bills_person ON settlement_bills (person_id, admission_date);
CREATE INDEX settlement_bills_approval ON settlement_bills (chronic_approval_id) WHERE chronic_approval_id IS NOT NULL;

CREATE TABLE settlement_lines (
  settlement_id      bigint NOT NULL REFERENCES settlements (id),
  line_no            int NOT NULL,
  code               text NOT NULL,
  class              char(1) NOT NULL CHECK (class IN ('A', 'B', 'C')),
  service_date       date NOT NULL,
  department         text NOT NULL,
  quantity           int NOT NULL CHECK (quantity > 0),
  unit_price_fen     bigint NOT NULL CHECK (unit_price_fen > 0),
  amount_fen         bigint NOT NULL CHECK (amount_fen = quantity * unit_price_fen),
  above_cap_fen      bigint NOT NULL CHECK (above_cap_fen >= 0),
  excluded_fen       bigint NOT NULL CHECK (excluded_fen >= 0),
  self_pay_first_fen bigint NOT NULL CHECK (self_pay_first_fen >= 0),
  compliant_fen      bigint NOT NULL CHECK (compliant_fen >= 0),
  PRIMARY KEY (settlement_id, line_no),
  CHECK (above_cap_fen + excluded_fen + self_pay_first_fen + compliant_fen = amount_fen)
);
