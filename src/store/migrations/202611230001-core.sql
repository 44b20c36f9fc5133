-- Core schema: divisions, households, persons, identities, enrollments,
-- facilities, visits, settlements (one row per fund), accumulators, alerts, audit.
-- Money is bigint fen everywhere.

CREATE TABLE divisions (
  code        text PRIMARY KEY CHECK (code ~ '^\d{6}(\d{3}(\d{3})?)?$'),
  name        text NOT NULL,
  name_bo     text,
  name_en     text,
  level       smallint NOT NULL CHECK (level IN (1, 2, 3)), -- county, township, village
  parent_code text REFERENCES divisions (code)
);
CREATE INDEX divisions_parent ON divisions (parent_code);

CREATE TABLE households (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  division_code text NOT NULL REFERENCES divisions (code),
  -- yearly household net income, fen, for the household-income assessment of monitoring cases
  income_fen    bigint CHECK (income_fen >= 0),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX households_division ON households (division_code);

CREATE TABLE persons (
  id                bigserial PRIMARY KEY,
  id_number         text NOT NULL UNIQUE CHECK (id_number ~ '^\d{17}[\dX]$'),
  name              text NOT NULL,
  sex               char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date        date NOT NULL,
  division_code     text NOT NULL REFERENCES divisions (code),
  household_id      bigint REFERENCES households (id),
  relation          text,
  phone             text,
  scheme            text NOT NULL DEFAULT 'resident' CHECK (scheme IN ('resident', 'employee')),
  employment_status text NOT NULL DEFAULT 'in_service' CHECK (employment_status IN ('in_service', 'retired')),
  qr_token          text NOT NULL UNIQUE,
  preferred_language text NOT NULL DEFAULT 'zh-CN',
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_division ON persons (division_code);
CREATE INDEX persons_household ON persons (household_id);

CREATE TABLE identities (
  id         bigserial PRIMARY KEY,
  person_id  bigint NOT NULL REFERENCES persons (id),
  identity   text NOT NULL,
  valid_from date NOT NULL,
  valid_to   date,
  department text NOT NULL,
  source     text NOT NULL DEFAULT 'manual', -- roster import id or 'manual'
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at   timestamptz,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX identities_person ON identities (person_id);
CREATE INDEX identities_identity ON identities (identity, department);

CREATE TABLE enrollments (
  person_id          bigint NOT NULL REFERENCES persons (id),
  year               int NOT NULL,
  policy_id          text NOT NULL,
  scheme             text NOT NULL,
  tier               text NOT NULL,
  contribution_fen   bigint NOT NULL CHECK (contribution_fen >= 0),
  subsidy_fen        bigint NOT NULL DEFAULT 0 CHECK (subsidy_fen >= 0),
  subsidy_identity   text,
  subsidy_kind       text,
  subsidy_department text,
  individual_fen     bigint NOT NULL CHECK (individual_fen >= 0),
  paid_fen           bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'enrolled', 'cancelled')),
  enrolled_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, year),
  CHECK (contribution_fen = subsidy_fen + individual_fen)
);
CREATE INDEX enrollments_year_status ON enrollments (year, status);

CREATE TABLE facilities (
  id             bigserial PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  kind           text NOT NULL DEFAULT 'hospital' CHECK (kind IN ('hospital', 'pharmacy', 'clinic')),
  level          smallint NOT NULL CHECK (level BETWEEN 0 AND 3),
  division_code  text NOT NULL REFERENCES divisions (code),
  api_key_hash   text UNIQUE,
  api_key_prefix text,
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE visits (
  id            bigserial PRIMARY KEY,
  person_id     bigint NOT NULL REFERENCES persons (id),
  facility_id   bigint NOT NULL REFERENCES facilities (id),
  kind          text NOT NULL CHECK (kind IN ('inpatient', 'outpatient', 'chronic')),
  level         smallint NOT NULL,
  visit_date    date NOT NULL,
  out_of_area   boolean NOT NULL DEFAULT false,
  filed         boolean NOT NULL DEFAULT false,
  major_illness boolean NOT NULL DEFAULT false,
  chronic_class text,
  diagnosis     text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visits_person ON visits (person_id);

CREATE TABLE settlements (
  id                  bigserial PRIMARY KEY,
  facility_id         bigint NOT NULL REFERENCES facilities (id),
  transaction_id      text NOT NULL,
  request_hash        text NOT NULL,
  visit_id            bigint NOT NULL REFERENCES visits (id),
  person_id           bigint NOT NULL REFERENCES persons (id),
  year                int NOT NULL,
  policy_id           text NOT NULL,
  total_fen           bigint NOT NULL CHECK (total_fen >= 0),
  compliant_fen       bigint NOT NULL CHECK (compliant_fen >= 0 AND compliant_fen <= total_fen),
  funds_fen           bigint NOT NULL CHECK (funds_fen >= 0),
  self_pay_compliant  bigint NOT NULL CHECK (self_pay_compliant >= 0),
  self_pay_excluded   bigint NOT NULL CHECK (self_pay_excluded >= 0),
  self_pay            bigint NOT NULL CHECK (self_pay >= 0),
  above_cap_fen       bigint NOT NULL DEFAULT 0,
  steps               jsonb NOT NULL,
  ytd_delta           jsonb NOT NULL,
  status              text NOT NULL DEFAULT 'settled' CHECK (status IN ('settled', 'reversed')),
  reversal_id         text,
  reversed_at         timestamptz,
  settled_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (facility_id, transaction_id),
  CHECK (funds_fen + self_pay = total_fen)
);
CREATE INDEX settlements_person_year ON settlements (person_id, year);
CREATE INDEX settlements_year_status ON settlements (year, status);

CREATE TABLE settlement_funds (
  settlement_id bigint NOT NULL REFERENCES settlements (id),
  fund          text NOT NULL CHECK (fund IN ('basic', 'critical', 'assistance', 'supplementary', 'tilt')),
  base_fen      bigint NOT NULL CHECK (base_fen >= 0),
  amount_fen    bigint NOT NULL CHECK (amount_fen >= 0),
  rule          text NOT NULL,
  PRIMARY KEY (settlement_id, fund)
);

CREATE TABLE accumulators (
  person_id                  bigint NOT NULL REFERENCES persons (id),
  year                       int NOT NULL,
  basic                      bigint NOT NULL DEFAULT 0 CHECK (basic >= 0),
  critical_base              bigint NOT NULL DEFAULT 0 CHECK (critical_base >= 0),
  critical                   bigint NOT NULL DEFAULT 0 CHECK (critical >= 0),
  assistance                 bigint NOT NULL DEFAULT 0 CHECK (assistance >= 0),
  assistance_major           bigint NOT NULL DEFAULT 0 CHECK (assistance_major >= 0),
  supplementary              bigint NOT NULL DEFAULT 0 CHECK (supplementary >= 0),
  tilt                       bigint NOT NULL DEFAULT 0 CHECK (tilt >= 0),
  outpatient_deductible_used bigint NOT NULL DEFAULT 0 CHECK (outpatient_deductible_used >= 0),
  outpatient_fund            bigint NOT NULL DEFAULT 0 CHECK (outpatient_fund >= 0),
  chronic_fund               bigint NOT NULL DEFAULT 0 CHECK (chronic_fund >= 0),
  self_pay                   bigint NOT NULL DEFAULT 0 CHECK (self_pay >= 0),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, year)
);

-- Raised in the settlement's own transaction: once per person, year and threshold.
CREATE TABLE alerts (
  id              bigserial PRIMARY KEY,
  person_id       bigint NOT NULL REFERENCES persons (id),
  year            int NOT NULL,
  threshold_id    text NOT NULL,
  threshold_fen   bigint NOT NULL,
  yearly_self_pay bigint NOT NULL,
  risk            text NOT NULL CHECK (risk IN ('becoming_poor', 'falling_back')),
  departments     text[] NOT NULL,
  settlement_id   bigint REFERENCES settlements (id),
  source          text NOT NULL DEFAULT 'realtime' CHECK (source IN ('realtime', 'monthly')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (person_id, year, threshold_id)
);

CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text NOT NULL,          -- 'facility:CODE', 'staff:USERNAME', 'cli', 'system'
  action    text NOT NULL,          -- 'settlement.create', 'person.update', ...
  entity    text NOT NULL,
  entity_id text NOT NULL,
  detail    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_at ON audit_log (at);
