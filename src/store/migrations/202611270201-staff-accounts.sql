-- Staff administration (issue 9) and sign-in hardening (issue 10, finding 3):
-- a password that must be changed at first sign-in, failures counted per
-- username whether or not the account exists (so a lock-out never reveals who
-- has one), and the one-time set-up token for the first administrator.

ALTER TABLE staff_users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
ALTER TABLE staff_users ADD COLUMN password_changed_at timestamptz;
ALTER TABLE staff_users ADD COLUMN disabled_at timestamptz;

CREATE TABLE staff_sign_in_throttle (
  username     text PRIMARY KEY,
  failures     int NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_setup_tokens (
  token_hash text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  used_by    bigint REFERENCES staff_users (id)
);
