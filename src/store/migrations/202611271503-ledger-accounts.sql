-- Issue 14 with issue 13: the personal accounts' credits, spends and
-- restorations post journals of their own kinds in the fund ledger.
ALTER TABLE ledger_journals DROP CONSTRAINT IF EXISTS ledger_journals_kind_check;
ALTER TABLE ledger_journals ADD CONSTRAINT ledger_journals_kind_check CHECK (kind IN ('settlement', 'readjudication', 'reversal',
  'contribution', 'contribution_reversal', 'subsidy', 'receipt', 'assistance_application', 'assistance_exception', 'assistance_recovery',
  'clearing', 'payout', 'payout_return', 'account_credit', 'account_spend', 'account_restore'));
