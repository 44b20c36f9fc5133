-- Issue 11: re-adjudication after a reversal or correction, its adjustment
-- entries (补付 pay more / 追回 recover), withdrawn alerts, and closed years.
-- Settlements stay as the hospital was told; what a bill stands at is its
-- settlement plus its adjustments. Money is bigint fen, signed where it is a difference.

-- One re-adjudication per change of a bill: its reversal id (or correction id) makes a retry find it.
CREATE TABLE readjudications (
  id            bigserial PRIMARY KEY,
  person_id     bigint NOT NULL REFERENCES persons (id),
  year          int NOT NULL,
  settlement_id bigint NOT NULL REFERENCES settlements (id), -- the bill reversed or corrected
  change        text NOT NULL CHECK (change IN ('reversal', 'correction')),
  change_ref    text NOT NULL,
  actor         text NOT NULL,
  request       jsonb NOT NULL DEFAULT '{}', -- a correction's new amounts: a retry must ask the same
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (settlement_id, change, change_ref)
);
CREATE INDEX readjudications_person_year ON readjudications (person_id, year);

-- What each fund pays more (> 0, 补付) or recovers (< 0, 追回) on one bill, and the patient's part.
CREATE TABLE settlement_adjustments (
  id                bigserial PRIMARY KEY,
  readjudication_id bigint NOT NULL REFERENCES readjudications (id),
  settlement_id     bigint NOT NULL REFERENCES settlements (id), -- the bill this entry corrects
  person_id         bigint NOT NULL REFERENCES persons (id),
  year              int NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('readjudication', 'assistance_recovery')),
  total_fen         bigint NOT NULL DEFAULT 0, -- a corrected bill's change of total and compliant cost; 0 on the bills after it
  compliant_fen     bigint NOT NULL DEFAULT 0,
  basic_fen         bigint NOT NULL DEFAULT 0,
  critical_fen      bigint NOT NULL DEFAULT 0,
  assistance_fen    bigint NOT NULL DEFAULT 0,
  supplementary_fen bigint NOT NULL DEFAULT 0,
  tilt_fen          bigint NOT NULL DEFAULT 0,
  self_pay_fen      bigint NOT NULL DEFAULT 0, -- > 0: the patient's part grows
  ytd_delta         jsonb NOT NULL,            -- the change of what the bill adds to each accumulator
  steps             jsonb,                     -- the bill's explanation as settled again
  application_id    bigint REFERENCES assistance_applications (id), -- an assistance_recovery's application
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- Funds and patient together always make the bill's total: settling again without a correction
  -- moves money between them; a correction changes the total by exactly the entry's total_fen.
  CHECK (kind <> 'readjudication' OR basic_fen + critical_fen + assistance_fen + supplementary_fen + tilt_fen + self_pay_fen = total_fen)
);
CREATE INDEX settlement_adjustments_settlement ON settlement_adjustments (settlement_id);
CREATE INDEX settlement_adjustments_person_year ON settlement_adjustments (person_id, year);

-- An alert no bill justifies any more (its bill was reversed) is withdrawn, not deleted: its case keeps the history.
ALTER TABLE alerts ADD COLUMN withdrawn_at timestamptz;

-- A closed year changes only through an explicit year-end correction: reversals into it are refused.
CREATE TABLE closed_years (
  year      int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  closed_by text NOT NULL,
  closed_at timestamptz NOT NULL DEFAULT now(),
  note      text
);

-- A withdrawn alert's pushes not yet delivered are withheld (and queued again if the alert is reinstated).
ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'delivered', 'withdrawn'));
