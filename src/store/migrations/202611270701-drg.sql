-- DRG payment (issue 16): settlement lists received from hospitals, their
-- grouping, weights and base rates per policy, and the payment of every
-- discharge per month (read by the monthly clearing of hospitals). Money in fen.

CREATE TABLE drg_abstracts (
  id                 bigserial PRIMARY KEY,
  facility_id        bigint NOT NULL REFERENCES facilities (id),
  setl_id            text NOT NULL,
  request_hash       text NOT NULL,
  mdtrt_id           text,
  psn_no             text NOT NULL,
  sex                char(1) CHECK (sex IN ('M', 'F')),
  age_years          smallint NOT NULL CHECK (age_years >= 0),
  age_days           smallint,
  newborn_weight_g   int,
  admission_date     date NOT NULL,
  discharge_date     date NOT NULL,
  ipt_days           int NOT NULL CHECK (ipt_days >= 0),
  discharge_way      text NOT NULL,
  principal          text NOT NULL,
  secondary          text[] NOT NULL DEFAULT '{}',
  main_procedure     text,
  other_procedures   text[] NOT NULL DEFAULT '{}',
  total_fen          bigint NOT NULL CHECK (total_fen >= 0),
  patient_fen        bigint NOT NULL CHECK (patient_fen >= 0),
  fund_fen           bigint NOT NULL CHECK (fund_fen >= 0),
  items              jsonb NOT NULL DEFAULT '[]',
  findings           jsonb NOT NULL DEFAULT '[]',
  source             text NOT NULL CHECK (source IN ('api', 'import')),
  received_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (facility_id, setl_id),
  CHECK (patient_fen + fund_fen <= total_fen)
);
CREATE INDEX drg_abstracts_discharge ON drg_abstracts (discharge_date);

CREATE TABLE drg_groupings (
  abstract_id    bigint PRIMARY KEY REFERENCES drg_abstracts (id),
  table_id       text NOT NULL,
  drg            text NOT NULL,
  name           text NOT NULL,
  mdc            text,
  adrg           text,
  cc_level       text CHECK (cc_level IN ('MCC', 'CC', 'none')),
  reason_code    text,
  reason_message text,
  steps          jsonb NOT NULL,
  grouped_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX drg_groupings_drg ON drg_groupings (drg);

CREATE TABLE drg_weights (
  policy_id    text NOT NULL,
  drg          text NOT NULL,
  weight_10k   int NOT NULL CHECK (weight_10k > 0),
  cases        int NOT NULL CHECK (cases >= 0),
  trimmed      int NOT NULL CHECK (trimmed >= 0),
  mean_fen     bigint NOT NULL CHECK (mean_fen >= 0),
  source       text NOT NULL CHECK (source IN ('history', 'policy')),
  computed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_id, drg)
);

CREATE TABLE drg_rates (
  policy_id      text NOT NULL,
  level          smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  budget_fen     bigint NOT NULL CHECK (budget_fen > 0),
  weight_sum_10k bigint NOT NULL CHECK (weight_sum_10k > 0),
  rate_fen       bigint NOT NULL CHECK (rate_fen > 0),
  history_from   date NOT NULL,
  history_to     date NOT NULL,
  computed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_id, level)
);

CREATE TABLE drg_payments (
  abstract_id      bigint NOT NULL REFERENCES drg_abstracts (id),
  policy_id        text NOT NULL,
  month            char(7) NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  facility_id      bigint NOT NULL REFERENCES facilities (id),
  level            smallint NOT NULL,
  drg              text NOT NULL,
  weight_10k       int,
  rate_fen         bigint,
  standard_fen     bigint NOT NULL CHECK (standard_fen >= 0),
  kind             text NOT NULL CHECK (kind IN ('standard', 'high_outlier', 'low_outlier', 'ungroupable', 'no_weight')),
  payment_fen      bigint NOT NULL CHECK (payment_fen >= 0),
  total_fen        bigint NOT NULL CHECK (total_fen >= 0),
  patient_fen      bigint NOT NULL CHECK (patient_fen >= 0),
  fund_payment_fen bigint NOT NULL CHECK (fund_payment_fen >= 0),
  surplus_fen      bigint NOT NULL,
  rule             text NOT NULL,
  computed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (abstract_id, policy_id),
  CHECK (surplus_fen = patient_fen + fund_payment_fen - total_fen)
);
CREATE INDEX drg_payments_month ON drg_payments (policy_id, month, facility_id);
