-- The national interface (issue 15): what a hospital's HIS sends through
-- /fsi/api/rsfComIfsService/callService beyond Sanbao's own records — its
-- sign-ins, every answered message (idempotency by msgid), the visits it opens
-- (mdtrt_id) and their fee lines until they are settled. Money in fen.

CREATE TABLE fsi_sign_ins (
  sign_no      text PRIMARY KEY,
  facility_id  bigint NOT NULL REFERENCES facilities (id),
  opter        text NOT NULL,
  signed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fsi_sign_ins_facility ON fsi_sign_ins (facility_id, signed_at);

-- One row per answered msgid: a retry answers this response whole; another body under the same msgid is refused.
CREATE TABLE fsi_messages (
  facility_id  bigint NOT NULL REFERENCES facilities (id),
  msgid        text NOT NULL,
  infno        text NOT NULL,
  request_hash text NOT NULL,
  response     json NOT NULL,  -- json, not jsonb: a retry gets the first answer byte for byte, keys in their order
  answered_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (facility_id, msgid)
);

-- A visit (就诊): an outpatient registration (2201) or an admission (2401), its mdtrt_id Sanbao's.
CREATE TABLE fsi_visits (
  id            bigserial PRIMARY KEY,
  mdtrt_id      text NOT NULL UNIQUE,
  facility_id   bigint NOT NULL REFERENCES facilities (id),
  person_id     bigint NOT NULL REFERENCES persons (id),
  msgid         text NOT NULL,
  insutype      text NOT NULL,
  med_type      text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('inpatient', 'outpatient', 'chronic')),
  ipt_otp_no    text NOT NULL,
  begin_date    date NOT NULL,
  end_date      date,
  diagnosis     text,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'discharged', 'cancelled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (facility_id, msgid),
  CHECK (end_date IS NULL OR end_date >= begin_date)
);
CREATE INDEX fsi_visits_person ON fsi_visits (person_id);

-- Fee lines (费用明细) of a visit as uploaded (2204 / 2301), until cancelled (2205 / 2302).
CREATE TABLE fsi_fee_lines (
  visit_id          bigint NOT NULL REFERENCES fsi_visits (id),
  feedetl_sn        text NOT NULL,
  msgid             text NOT NULL,
  chrg_bchno        text,
  med_list_codg     text NOT NULL,
  medins_list_codg  text NOT NULL,
  fee_date          date NOT NULL,
  cnt               int NOT NULL CHECK (cnt > 0),
  pric_fen          bigint NOT NULL CHECK (pric_fen > 0),
  amount_fen        bigint NOT NULL CHECK (amount_fen = cnt * pric_fen),
  department        text NOT NULL,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  uploaded_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (visit_id, feedetl_sn)
);

-- Which settlement settled which visit (setl_id is the settlement's transaction id: the msgid of the 2207 / 2304).
CREATE TABLE fsi_visit_settlements (
  settlement_id bigint PRIMARY KEY REFERENCES settlements (id),
  visit_id      bigint NOT NULL REFERENCES fsi_visits (id),
  insutype      text NOT NULL,
  clr_type      text NOT NULL
);
CREATE INDEX fsi_visit_settlements_visit ON fsi_visit_settlements (visit_id);
