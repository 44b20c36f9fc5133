-- Enrollment and contribution collection (参保征缴): identity rosters from partner
-- departments with the rows each contained, payments (individual and paid on
-- behalf) and bulk payment batches. Money is bigint fen.

-- Which roster ended an identity (a newer roster dropped the person, or replaced the dates).
ALTER TABLE identities ADD COLUMN ended_by text;
CREATE INDEX identities_in_force ON identities (identity, department, person_id) WHERE ended_at IS NULL;

CREATE TABLE rosters (
  id                   bigserial PRIMARY KEY,
  department           text NOT NULL,
  identity             text NOT NULL,
  valid_from           date NOT NULL,
  valid_to             date,
  file_name            text NOT NULL,
  file_sha256          text NOT NULL,
  rows_total           int NOT NULL CHECK (rows_total >= 0),
  rows_imported        int NOT NULL CHECK (rows_imported >= 0),
  -- row numbers and reasons of the rows left out on an explicit --skip-bad-rows
  skipped              jsonb NOT NULL DEFAULT '[]',
  persons_registered   int NOT NULL DEFAULT 0,
  identities_added     int NOT NULL DEFAULT 0,
  identities_ended     int NOT NULL DEFAULT 0,
  identities_unchanged int NOT NULL DEFAULT 0,
  imported_by          text NOT NULL,
  imported_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX rosters_kind ON rosters (department, identity, id);

CREATE TABLE roster_entries (
  roster_id  bigint NOT NULL REFERENCES rosters (id),
  row_number int NOT NULL,
  person_id  bigint NOT NULL REFERENCES persons (id),
  valid_from date NOT NULL,
  valid_to   date,
  PRIMARY KEY (roster_id, person_id)
);
CREATE INDEX roster_entries_person ON roster_entries (person_id);

CREATE TABLE payment_batches (
  id          bigserial PRIMARY KEY,
  year        int NOT NULL,
  department  text NOT NULL,
  roster_id   bigint REFERENCES rosters (id),
  division    text NOT NULL,
  persons     int NOT NULL DEFAULT 0,
  amount_fen  bigint NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
  reference   text,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payments (
  id              bigserial PRIMARY KEY,
  person_id       bigint NOT NULL,
  year            int NOT NULL,
  -- individual: the person paid; on_behalf: a department (or collective) paid the individual part (代缴)
  kind            text NOT NULL CHECK (kind IN ('individual', 'on_behalf')),
  department      text,
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  method          text NOT NULL DEFAULT 'cash' CHECK (method IN ('cash', 'bank', 'mobile', 'transfer')),
  reference       text,
  batch_id        bigint REFERENCES payment_batches (id),
  recorded_by     text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  reversed_at     timestamptz,
  reversal_reason text,
  FOREIGN KEY (person_id, year) REFERENCES enrollments (person_id, year),
  CHECK (kind = 'individual' OR department IS NOT NULL)
);
CREATE INDEX payments_person_year ON payments (person_id, year);
-- A receipt number is recorded once: a second entry of the same receipt is refused.
CREATE UNIQUE INDEX payments_reference ON payments (reference) WHERE reference IS NOT NULL AND reversed_at IS NULL;
