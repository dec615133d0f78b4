-- One token bucket per name, shared by every instance: Teams counts its rate limit per bot, not per instance.

-- Up Migration

CREATE TABLE rate_limits (
  name       text COLLATE "C" PRIMARY KEY,
  tokens     double precision NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Down Migration

DROP TABLE rate_limits;
