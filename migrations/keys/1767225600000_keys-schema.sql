-- The key database (KEY_DATABASE_URL): everything that touches identity, and no answer.
-- Participants are known by a pseudonym: a keyed hash (HMAC-SHA256, hex) of their tenant and Teams id.

-- Up Migration

-- A participant's entry per round: their letter code, invitation and reminder bookkeeping.
CREATE TABLE key_entries (
  pseudonym text COLLATE "C" NOT NULL CHECK (pseudonym ~ '^[a-f0-9]{64}$'),
  round_id  text COLLATE "C" NOT NULL,
  entry     jsonb NOT NULL,
  PRIMARY KEY (pseudonym, round_id)
);
-- For the round's participant list (reminders, destroying a round's keys).
CREATE INDEX key_entries_by_round ON key_entries (round_id, pseudonym);

-- Where a proactive message to a participant goes (a conversation reference).
CREATE TABLE chat_targets (
  pseudonym text COLLATE "C" PRIMARY KEY CHECK (pseudonym ~ '^[a-f0-9]{64}$'),
  target    jsonb NOT NULL
);

-- Researchers added in Teams (Entra object ids).
CREATE TABLE researchers (
  id text COLLATE "C" PRIMARY KEY
);

-- The channels a round's digests go to, one per conversation id ('' when the reference has none), in order added.
CREATE TABLE digest_channels (
  round_id         text COLLATE "C" NOT NULL,
  conversation_key text COLLATE "C" NOT NULL,
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  target           jsonb NOT NULL,
  PRIMARY KEY (round_id, conversation_key)
);

-- A random token per letter code: exports number participants by these, so the number cannot be joined to the code.
CREATE TABLE number_tokens (
  round_id text COLLATE "C" NOT NULL,
  code     text COLLATE "C" NOT NULL,
  token    text NOT NULL,
  PRIMARY KEY (round_id, code)
);

-- Proactive messages (invitations, reminders, digests). job is the whole OutboxJob; the columns the queue is
-- queried by are generated from it, so they never disagree. A sender claims a job with one UPDATE ... WHERE
-- status = 'pending': of several instances exactly one gets the row. claimed_by and claim_started (database clock)
-- say which instance took it when, for recovery after a crash.
CREATE TABLE outbox (
  id            text COLLATE "C" PRIMARY KEY,
  job           jsonb NOT NULL,
  round_id      text COLLATE "C" GENERATED ALWAYS AS (job ->> 'roundId') STORED,
  status        text COLLATE "C" GENERATED ALWAYS AS (job ->> 'status') STORED,
  not_before    text COLLATE "C" GENERATED ALWAYS AS (job ->> 'notBefore') STORED,
  claimed_by    text,
  claim_started timestamptz
);
CREATE INDEX outbox_due ON outbox (not_before, id) WHERE status = 'pending';
CREATE INDEX outbox_sending ON outbox (claim_started) WHERE status = 'sending';
CREATE INDEX outbox_by_round ON outbox (round_id, id);

-- Bot instances that send: each refreshes seen_at while it runs; an instance not seen for a lease is gone.
CREATE TABLE outbox_instances (
  id         text PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  seen_at    timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE outbox_instances;
DROP TABLE outbox;
DROP TABLE number_tokens;
DROP TABLE digest_channels;
DROP TABLE researchers;
DROP TABLE chat_targets;
DROP TABLE key_entries;
