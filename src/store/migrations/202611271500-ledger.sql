-- Issue 14: the fund ledger. Journals (one per event) and their entries,
-- debit positive, credit negative, bigint fen. Append-only; every journal
-- balances within each fund, checked when its transaction commits.

CREATE TABLE ledger_journals (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('settlement', 'readjudication', 'reversal', 'contribution', 'contribution_reversal',
                  'subsidy', 'receipt', 'assistance_application', 'assistance_exception', 'assistance_recovery',
                  'clearing', 'payout', 'payout_return')),
  -- The event it records ('settlement:12', 'payment:4', 'readjudication:3:settlement:12'): an event posts once.
  source        text NOT NULL,
  settlement_id bigint REFERENCES settlements (id),
  facility_id   bigint REFERENCES facilities (id),
  person_id     bigint REFERENCES persons (id),
  department    text,
  year          int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  -- The business day in China (UTC+8), by which reports and clearings count months.
  business_date date NOT NULL DEFAULT ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date,
  actor         text NOT NULL,
  memo          text,
  posted_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, source)
);
CREATE INDEX ledger_journals_settlement ON ledger_journals (settlement_id) WHERE settlement_id IS NOT NULL;
CREATE INDEX ledger_journals_facility ON ledger_journals (facility_id, business_date) WHERE facility_id IS NOT NULL;
CREATE INDEX ledger_journals_date ON ledger_journals (business_date);

CREATE TABLE ledger_entries (
  journal_id bigint NOT NULL REFERENCES ledger_journals (id),
  line       smallint NOT NULL,
  account    text NOT NULL CHECK (account ~ '^[a-z_]+(\.[a-z0-9_]+)?:[a-z_]+$'),
  fund       text NOT NULL CHECK (account LIKE fund || ':%'),
  amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
  PRIMARY KEY (journal_id, line)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account);

-- Checked at commit: each fund's lines of the journal sum to zero.
CREATE FUNCTION ledger_journal_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  SELECT fund INTO bad FROM ledger_entries WHERE journal_id = NEW.journal_id GROUP BY fund HAVING sum(amount_fen) <> 0 LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'ledger journal % does not balance in fund %', NEW.journal_id, bad USING ERRCODE = 'SB014';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_journal_balanced();

-- Corrections are new journals, never edits.
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'SB015';
END $$;
CREATE TRIGGER ledger_journals_append_only BEFORE UPDATE OR DELETE ON ledger_journals FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
