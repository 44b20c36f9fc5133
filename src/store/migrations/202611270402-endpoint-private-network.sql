-- A department endpoint on the bureau's own private network (a local relay) is
-- allowed only when the admin says so explicitly for that endpoint; otherwise
-- every address its host resolves to must be public, at saving and at delivery.
ALTER TABLE department_endpoints ADD COLUMN allow_private_network boolean NOT NULL DEFAULT false;
