-- Chronic and special disease approvals (门诊慢特病认定, issue 12): an application
-- (at a service station, the bureau's window, or by a hospital) with its
-- documents (metadata), reviewed into an approval with a validity period;
-- renewals continue it, revocation ends it. Every step is audited.

CREATE TABLE chronic_applications (
  id              bigserial PRIMARY KEY,
  person_id       bigint NOT NULL REFERENCES persons (id),
  disease_region  text NOT NULL,
  disease_code    text NOT NULL,
  diagnosis       text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('station', 'window', 'hospital')),
  submitted_by    text NOT NULL,
  status          text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected')),
  decided_by      text,
  decided_at      timestamptz,
  decision_reason text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chronic_applications_person ON chronic_applications (person_id);
CREATE INDEX chronic_applications_status ON chronic_applications (status, id);

CREATE TABLE chronic_documents (
  id             bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES chronic_applications (id),
  kind           text NOT NULL CHECK (kind IN ('diagnosis_certificate', 'medical_record', 'test_report', 'other')),
  file_name      text NOT NULL,
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes     bigint NOT NULL CHECK (size_bytes > 0),
  uploaded_by    text NOT NULL,
  uploaded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chronic_documents_application ON chronic_documents (application_id);

CREATE TABLE chronic_approvals (
  id             bigserial PRIMARY KEY,
  person_id      bigint NOT NULL REFERENCES persons (id),
  application_id bigint REFERENCES chronic_applications (id),
  renewed_from   bigint REFERENCES chronic_approvals (id),
  disease_region text NOT NULL,
  disease_code   text NOT NULL,
  valid_from     date NOT NULL,
  valid_to       date NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  approved_by    text NOT NULL,
  approved_at    timestamptz NOT NULL DEFAULT now(),
  revoked_by     text,
  revoked_at     timestamptz,
  revoke_reason  text,
  CHECK (valid_to >= valid_from)
);
CREATE INDEX chronic_approvals_person ON chronic_approvals (person_id, status);
