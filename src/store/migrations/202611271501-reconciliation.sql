-- Issue 14: reconciliation with hospitals (对账), one row per submission of a
-- hospital's totals for a period, with the comparison and its follow-up.

CREATE TABLE reconciliations (
  id           bigserial PRIMARY KEY,
  facility_id  bigint NOT NULL REFERENCES facilities (id),
  request_id   text NOT NULL,
  request_hash text NOT NULL,
  period_from  date NOT NULL,
  period_to    date NOT NULL CHECK (period_to >= period_from),
  status       text NOT NULL CHECK (status IN ('matched', 'open', 'explained', 'resolved')),
  lines        jsonb NOT NULL, -- per insutype and clr_type: bureau, hospital, difference (3201)
  differences  jsonb NOT NULL, -- settlement by settlement (3202)
  submitted_by text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  note         text,
  followed_by  text,
  followed_at  timestamptz,
  UNIQUE (facility_id, request_id)
);
CREATE INDEX reconciliations_status ON reconciliations (status, id);

-- Totals of a hospital's day or month read settlements by facility and time.
CREATE INDEX settlements_facility_settled ON settlements (facility_id, settled_at);
CREATE INDEX settlements_facility_reversed ON settlements (facility_id, reversed_at) WHERE reversed_at IS NOT NULL;
