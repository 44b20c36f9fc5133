-- Claim review (issue 12): items the catalogue restricts to higher hospital
-- levels (限医院等级, the catalogue's min_level) are flagged like the other
-- restrictions. The rule is data, on by default like the others.
INSERT INTO review_rules (id, params) VALUES ('level_restriction', '{}') ON CONFLICT (id) DO NOTHING;
