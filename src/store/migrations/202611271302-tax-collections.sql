-- The tax bureau's collection file (issue 13): premiums are collected by the tax
-- bureau, and its vouchers are reconciled with Sanbao's own payments. Money is bigint fen.
CREATE TABLE tax_collection_imports (
  id            bigserial PRIMARY KEY,
  file_name     text NOT NULL,
  file_sha256   text NOT NULL,
  rows_total    int NOT NULL CHECK (rows_total >= 0),
  rows_imported int NOT NULL CHECK (rows_imported >= 0),
  skipped       jsonb NOT NULL DEFAULT '[]',
  imported_by   text NOT NULL,
  imported_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tax_collections (
  voucher_no text PRIMARY KEY,
  import_id  bigint NOT NULL REFERENCES tax_collection_imports (id),
  row_number int NOT NULL,
  id_number  text NOT NULL CHECK (id_number ~ '^\d{17}[\dX]$'),
  year       int NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  paid_on    date NOT NULL
);
CREATE INDEX tax_collections_year_person ON tax_collections (year, id_number);
