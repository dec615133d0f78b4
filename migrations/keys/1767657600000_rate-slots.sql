-- The shared send schedule instead of a token bucket: slots spaced evenly under the rate, and a pause for everyone
-- when Teams answers with a Retry-After. One row per name; a booking or a pause is one statement on it.

-- Up Migration

DROP TABLE rate_limits;

CREATE TABLE rate_slots (
  name         text COLLATE "C" PRIMARY KEY,
  -- The next slot free to book.
  next_at      timestamptz NOT NULL,
  -- No slot starts before this (the latest Retry-After).
  paused_until timestamptz NOT NULL DEFAULT '-infinity',
  -- The pauses so far, in all, in milliseconds: a sender moves the slots it booked before by how much this grew.
  paused_ms    double precision NOT NULL DEFAULT 0
);

-- Down Migration

DROP TABLE rate_slots;

CREATE TABLE rate_limits (
  name       text COLLATE "C" PRIMARY KEY,
  tokens     double precision NOT NULL,
  updated_at timestamptz NOT NULL
);
