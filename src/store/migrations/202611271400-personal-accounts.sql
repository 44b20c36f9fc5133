-- Employee personal accounts (职工医保个人账户, issue 13): the account of each
-- employee with its balance (never negative), the ledger of its credits,
-- spends and restorations (each row audited), and family-sharing links
-- (家庭共济) to registered relatives whose bills it may pay.

CREATE TABLE personal_accounts (
  person_id             bigint PRIMARY KEY REFERENCES persons (id),
  -- the monthly contribution base (缴费基数) the in-service credit is a share of; null: not recorded
  contribution_base_fen bigint CHECK (contribution_base_fen > 0),
  balance_fen           bigint NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
  opened_at             timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE personal_account_entries (
  id                bigserial PRIMARY KEY,
  person_id         bigint NOT NULL REFERENCES personal_accounts (person_id), -- the holder
  kind              text NOT NULL CHECK (kind IN ('credit', 'spend', 'restore')),
  -- always positive: the kind says which way it moves (credit and restore in, spend out)
  amount_fen        bigint NOT NULL CHECK (amount_fen > 0),
  balance_after_fen bigint NOT NULL CHECK (balance_after_fen >= 0),
  year              int NOT NULL,
  month             text CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  settlement_id     bigint REFERENCES settlements (id),
  beneficiary_id    bigint REFERENCES persons (id),          -- whose bill a spend paid (the holder or a relative)
  spend_id          bigint REFERENCES personal_account_entries (id), -- the spend a restoration gives back
  rule              text NOT NULL,
  ref               text,
  actor             text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'credit') = (month IS NOT NULL)),
  CHECK (kind = 'credit' OR settlement_id IS NOT NULL),
  CHECK ((kind = 'restore') = (spend_id IS NOT NULL))
);
-- A month credited twice credits once.
CREATE UNIQUE INDEX personal_account_credit_once ON personal_account_entries (person_id, month) WHERE kind = 'credit';
CREATE INDEX personal_account_entries_holder ON personal_account_entries (person_id, year, id);
-- The credit run pages through the year's employees.
CREATE INDEX enrollments_employee_year ON enrollments (year, person_id) WHERE status = 'enrolled' AND scheme = 'employee';
CREATE INDEX personal_account_entries_settlement ON personal_account_entries (settlement_id) WHERE settlement_id IS NOT NULL;

CREATE TABLE family_links (
  id          bigserial PRIMARY KEY,
  holder_id   bigint NOT NULL REFERENCES persons (id),  -- the employee whose account pays
  relative_id bigint NOT NULL REFERENCES persons (id),
  relation    text NOT NULL CHECK (relation IN ('spouse', 'parent', 'child')),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_by    text,
  ended_at    timestamptz,
  CHECK (holder_id <> relative_id)
);
CREATE UNIQUE INDEX family_links_active ON family_links (holder_id, relative_id) WHERE status = 'active';
CREATE INDEX family_links_relative ON family_links (relative_id) WHERE status = 'active';

-- Out-of-area filings: 常驻异地工作 (an employee posted elsewhere) beside the other reasons.
ALTER TABLE out_of_area_filings DROP CONSTRAINT IF EXISTS out_of_area_filings_reason_check;
ALTER TABLE out_of_area_filings ADD CONSTRAINT out_of_area_filings_reason_check
  CHECK (reason IN ('referral', 'resident_elsewhere', 'work_elsewhere', 'temporary', 'emergency'));

-- Inter-provincial clearing lists (跨省异地就医清算): settlements made on the national
-- platform that Sanbao did not settle itself. 'outbound': our insured treated elsewhere
-- (we are the insured place, 参保地); 'inbound': other regions' insured treated in our
-- hospitals (we are the treatment place, 就医地). The patient's ID number is kept masked.
CREATE TABLE clearing_batches (
  id          bigserial PRIMARY KEY,
  file_name   text NOT NULL,
  sha256      text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  rows        int NOT NULL CHECK (rows >= 0),
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clearing_settlements (
  id               bigserial PRIMARY KEY,
  batch_id         bigint NOT NULL REFERENCES clearing_batches (id),
  direction        text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  serial           text NOT NULL,                -- the platform's settlement id (setl_id)
  insured_region   text NOT NULL CHECK (insured_region ~ '^\d{6}$'),
  treatment_region text NOT NULL CHECK (treatment_region ~ '^\d{6}$'),
  facility_name    text NOT NULL,
  person_id        bigint REFERENCES persons (id), -- outbound: our insured person
  masked_id_number text NOT NULL,
  visit_kind       text NOT NULL CHECK (visit_kind IN ('inpatient', 'outpatient', 'chronic')),
  settle_date      date NOT NULL,
  total_fen        bigint NOT NULL CHECK (total_fen >= 0),
  fund_fen         bigint NOT NULL CHECK (fund_fen >= 0 AND fund_fen <= total_fen),
  account_fen      bigint NOT NULL DEFAULT 0 CHECK (account_fen >= 0),
  CHECK (fund_fen + account_fen <= total_fen),
  CHECK (insured_region <> treatment_region),
  UNIQUE (direction, serial)
);
CREATE INDEX clearing_settlements_date ON clearing_settlements (settle_date);
