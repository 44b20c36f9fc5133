-- Medical-insurance catalogues as data (issue 12): item lists (drugs, service
-- items, consumables) and chronic/special and rare diseases, one list per
-- region ('national' or a 6-digit division code) with validity dates.
-- An import replaces the region's list of that kind whole; the imports are kept.

CREATE TABLE catalogue_imports (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('items', 'chronic')),
  region      text NOT NULL CHECK (region = 'national' OR region ~ '^\d{6}$'),
  file_name   text NOT NULL,
  file_sha256 text NOT NULL,
  rows_total  int NOT NULL,
  rows_loaded int NOT NULL,
  skipped     jsonb NOT NULL DEFAULT '[]',
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE catalogue_items (
  region                     text NOT NULL,
  code                       text NOT NULL,
  valid_from                 date NOT NULL,
  valid_to                   date,
  name                       text NOT NULL,
  kind                       text NOT NULL CHECK (kind IN ('western_drug', 'patent_drug', 'herbal_pieces', 'service', 'consumable')),
  class                      char(1) NOT NULL CHECK (class IN ('A', 'B', 'C')),
  self_pay_first_resident_bp int NOT NULL DEFAULT 0 CHECK (self_pay_first_resident_bp BETWEEN 0 AND 10000),
  self_pay_first_employee_bp int NOT NULL DEFAULT 0 CHECK (self_pay_first_employee_bp BETWEEN 0 AND 10000),
  price_cap_fen              bigint CHECK (price_cap_fen > 0),
  unit                       text NOT NULL DEFAULT '',
  min_level                  smallint,
  min_age                    smallint,
  max_age                    smallint,
  sex                        char(1) CHECK (sex IN ('M', 'F')),
  diagnoses                  text[] NOT NULL DEFAULT '{}',
  max_per_day                int,
  max_per_stay               int,
  import_id                  bigint NOT NULL REFERENCES catalogue_imports (id),
  PRIMARY KEY (region, code, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX catalogue_items_code ON catalogue_items (code);

CREATE TABLE chronic_diseases (
  region           text NOT NULL,
  code             text NOT NULL,
  valid_from       date NOT NULL,
  valid_to         date,
  name             text NOT NULL,
  class            char(1) NOT NULL CHECK (class IN ('A', 'B')),
  schemes          text[] NOT NULL,
  icd10            text[] NOT NULL,
  yearly_limit_fen bigint NOT NULL CHECK (yearly_limit_fen >= 0),
  rare             boolean NOT NULL DEFAULT false,
  import_id        bigint NOT NULL REFERENCES catalogue_imports (id),
  PRIMARY KEY (region, code, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
