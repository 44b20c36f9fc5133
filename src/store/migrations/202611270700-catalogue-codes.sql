-- Code lists (目录) of diagnoses (ICD-10) and procedures (ICD-9-CM-3), and later
-- other kinds (drugs, services): one row per kind and code, with its validity.
CREATE TABLE catalogue_codes (
  kind        text NOT NULL,
  code        text NOT NULL,
  name_zh     text NOT NULL,
  name_en     text,
  valid_from  date,
  valid_to    date,
  flags       text[] NOT NULL DEFAULT '{}',
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, code),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
