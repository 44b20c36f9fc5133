-- The household register (户籍) kept at the window: a person's name in Tibetan
-- beside the Chinese one, and at most one head per household.
ALTER TABLE persons ADD COLUMN name_bo text;
CREATE UNIQUE INDEX persons_one_head ON persons (household_id) WHERE relation = 'head';
