-- Staff accounts scoped to a division, sessions that expire, lock-out, and the
-- items the bureau delegates to each service station (医保服务站).

CREATE TABLE staff_users (
  id              bigserial PRIMARY KEY,
  username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,40}$'),
  display_name    text NOT NULL,
  password_hash   text NOT NULL,
  role            text NOT NULL CHECK (role IN ('bureau_admin', 'bureau_clerk', 'station_clerk', 'department_liaison', 'auditor')),
  division_code   text NOT NULL REFERENCES divisions (code),
  department      text,
  failed_attempts int NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'department_liaison' OR department IS NOT NULL)
);

CREATE TABLE staff_sessions (
  token_hash   text PRIMARY KEY,
  staff_id     bigint NOT NULL REFERENCES staff_users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

CREATE TABLE station_delegations (
  division_code text NOT NULL REFERENCES divisions (code),
  item          text NOT NULL,
  granted_by    bigint REFERENCES staff_users (id),
  granted_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (division_code, item)
);
