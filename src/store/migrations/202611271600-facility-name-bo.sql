-- Issue 17: a designated facility's name in Tibetan, shown to Tibetan readers (the resident's reimbursements, the console).
ALTER TABLE facilities ADD COLUMN IF NOT EXISTS name_bo text;
