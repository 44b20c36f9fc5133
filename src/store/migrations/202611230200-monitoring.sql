-- Monitoring and early warning (防范因病返贫致贫监测预警), case follow-up,
-- pushes to partner departments through a transactional outbox, the monthly
-- statistical run and its job table, assistance on application (依申请救助)
-- with case-by-case (一事一议) exceptions. Money is bigint fen.

-- Which monthly run raised an alert (NULL: raised in real time by a settlement).
ALTER TABLE alerts ADD COLUMN run_month text;
CREATE INDEX alerts_year_created ON alerts (year, created_at);

-- One case per alert: raised → pushed → verified → determined → closed.
CREATE TABLE monitoring_cases (
  id                 bigserial PRIMARY KEY,
  -- person and division are the alert's person's, copied for filtering; the alert's keys guard them.
  alert_id           bigint NOT NULL UNIQUE REFERENCES alerts (id),
  person_id          bigint NOT NULL,
  year               int NOT NULL,
  division_code      text NOT NULL,
  risk               text NOT NULL CHECK (risk IN ('becoming_poor', 'falling_back')),
  departments        text[] NOT NULL,
  status             text NOT NULL DEFAULT 'raised' CHECK (status IN ('raised', 'pushed', 'verified', 'determined', 'closed')),
  determination      text CHECK (determination IN ('assistance_on_application', 'temporary_assistance', 'included', 'sudden_hardship', 'not_needed')),
  determination_detail jsonb,
  determined_by_department text,
  confirmed          boolean, -- true when the determination confirms the risk (anything but not_needed)
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_cases_status ON monitoring_cases (year, status);
CREATE INDEX monitoring_cases_division ON monitoring_cases (division_code);
CREATE INDEX monitoring_cases_person ON monitoring_cases (person_id);

-- Who did what, when: every transition of a case.
CREATE TABLE case_events (
  id         bigserial PRIMARY KEY,
  case_id    bigint NOT NULL REFERENCES monitoring_cases (id),
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL, -- 'staff:USERNAME', 'system', 'department:CODE'
  action     text NOT NULL, -- raised, pushed, verified, determined, closed, note
  from_status text,
  to_status  text,
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- Each department's HTTPS endpoint and signing secret (configured by the bureau admin).
CREATE TABLE department_endpoints (
  department  text PRIMARY KEY,
  url         text NOT NULL,
  secret      text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The transactional outbox: written with the alert, delivered later, exactly one row per alert and department.
CREATE TABLE outbox (
  id              bigserial PRIMARY KEY,
  case_id         bigint NOT NULL REFERENCES monitoring_cases (id),
  department      text NOT NULL,
  dedupe_key      text NOT NULL UNIQUE,
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered')),
  channel         text CHECK (channel IN ('https', 'download')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,
  last_status     int,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_department ON outbox (department, status);

-- The monitoring line (防返贫监测线) per region and year, for the household-income assessment.
CREATE TABLE monitoring_lines (
  region_code text NOT NULL,
  year        int NOT NULL,
  line_fen    bigint NOT NULL CHECK (line_fen > 0),
  set_by      text NOT NULL,
  set_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, year)
);

-- The monthly statistical run: one row per month, its figures.
CREATE TABLE monitoring_runs (
  month        text PRIMARY KEY CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  actor        text NOT NULL,
  persons      int NOT NULL DEFAULT 0,
  new_alerts   int NOT NULL DEFAULT 0,
  statistics   jsonb NOT NULL DEFAULT '{}'
);

-- Jobs (the monthly run on the 15th), claimed with FOR UPDATE SKIP LOCKED.
CREATE TABLE monitoring_jobs (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('monthly_run')),
  month       text NOT NULL,
  run_at      timestamptz NOT NULL,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
  attempts    int NOT NULL DEFAULT 0,
  lease_until timestamptz,
  last_error  text,
  finished_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, month)
);
CREATE INDEX monitoring_jobs_due ON monitoring_jobs (status, run_at);

-- Assistance on application: paid on the compliant self-pay of past settlements, within the yearly caps.
CREATE TABLE assistance_applications (
  id             bigserial PRIMARY KEY,
  case_id        bigint NOT NULL REFERENCES monitoring_cases (id),
  person_id      bigint NOT NULL REFERENCES persons (id),
  year           int NOT NULL,
  identity       text NOT NULL,
  ratio_bp       int NOT NULL CHECK (ratio_bp BETWEEN 0 AND 10000),
  base_fen       bigint NOT NULL CHECK (base_fen >= 0),
  due_fen        bigint NOT NULL CHECK (due_fen >= 0),
  paid_fen       bigint NOT NULL CHECK (paid_fen >= 0),
  above_cap_fen  bigint NOT NULL CHECK (above_cap_fen >= 0),
  approved_by    text NOT NULL,
  approved_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (due_fen = paid_fen + above_cap_fen)
);
CREATE INDEX assistance_applications_case ON assistance_applications (case_id);

-- Each settlement is covered by at most one application: never paid twice.
CREATE TABLE assistance_application_items (
  application_id bigint NOT NULL REFERENCES assistance_applications (id),
  settlement_id  bigint NOT NULL UNIQUE REFERENCES settlements (id),
  pool           text NOT NULL CHECK (pool IN ('ordinary', 'major')),
  base_fen       bigint NOT NULL CHECK (base_fen >= 0),
  due_fen        bigint NOT NULL CHECK (due_fen >= 0),
  paid_fen       bigint NOT NULL CHECK (paid_fen >= 0),
  PRIMARY KEY (application_id, settlement_id)
);

-- Case-by-case (一事一议) approval of assistance above the yearly caps: a separate record.
CREATE TABLE assistance_exceptions (
  id             bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES assistance_applications (id),
  amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
  reason         text NOT NULL CHECK (length(reason) >= 4),
  approved_by    text NOT NULL,
  approved_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assistance_exceptions_application ON assistance_exceptions (application_id);
