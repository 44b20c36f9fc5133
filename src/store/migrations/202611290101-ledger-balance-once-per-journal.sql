-- The ledger's balance check (202611271500) looks at a journal once when its
-- entries are checked together, not once per entry (issue 9, settle
-- throughput). The check is a deferred constraint trigger per entry: at commit
-- a settlement's journal of 2 to 4 entries was summed 2 to 4 times (0.017 ms
-- each), a batch of 16 settlements' journals about 50 times.
--
-- The trigger now remembers the journal it last found balanced
-- (sanbao.ledger_checked, transaction-local) and skips the next entries of the
-- same journal. Any INSERT into ledger_entries forgets it first (a statement
-- trigger), so an entry added after a check (SET CONSTRAINTS … IMMEDIATE, then
-- more lines) has its journal summed again: the memory only spans entries
-- inserted before one run of the checks. Entries are never updated or deleted
-- (append-only), so a journal found balanced stays so until a new entry.

CREATE OR REPLACE FUNCTION ledger_journal_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  IF current_setting('sanbao.ledger_checked', true) = NEW.journal_id::text THEN
    RETURN NULL;
  END IF;
  SELECT fund INTO bad FROM ledger_entries WHERE journal_id = NEW.journal_id GROUP BY fund HAVING sum(amount_fen) <> 0 LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'ledger journal % does not balance in fund %', NEW.journal_id, bad USING ERRCODE = 'SB014';
  END IF;
  PERFORM set_config('sanbao.ledger_checked', NEW.journal_id::text, true);
  RETURN NULL;
END $$;

CREATE FUNCTION ledger_entries_forget_checked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('sanbao.ledger_checked', '', true);
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_forget_checked BEFORE INSERT ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_forget_checked();
