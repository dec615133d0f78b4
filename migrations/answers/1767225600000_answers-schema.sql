-- The answers database (DATABASE_URL): interviews under a round and a letter code, rounds, anonymous counts.
-- Nothing here identifies anyone: no pseudonym, no Teams or Entra id, no tenant, no conversation reference.

-- Up Migration

-- Rounds carry no identity. Text keys use the "C" collation: byte order, like the embedded store's sorted file names.
CREATE TABLE rounds (
  id   text COLLATE "C" PRIMARY KEY,
  data json NOT NULL
);

-- issued: codes handed out so far (the next code is letterCode(issued)); a consent locks its round's row briefly.
CREATE TABLE round_counters (
  round_id  text COLLATE "C" PRIMARY KEY,
  issued    integer NOT NULL DEFAULT 0 CHECK (issued >= 0),
  declined  integer NOT NULL DEFAULT 0 CHECK (declined >= 0),
  withdrawn integer NOT NULL DEFAULT 0 CHECK (withdrawn >= 0)
);

-- One row per interview. data is `json`, not `jsonb`: it holds participants' free text, which jsonb would refuse
-- when it contains \u0000, and it is never queried inside. A save is one UPDATE by primary key with the expected
-- rev (optimistic concurrency); the fill factor leaves room for HOT updates, so saving does not grow the index.
CREATE TABLE interviews (
  round_id text COLLATE "C" NOT NULL,
  code     text COLLATE "C" NOT NULL,
  rev      integer NOT NULL,
  data     json NOT NULL,
  PRIMARY KEY (round_id, code)
) WITH (fillfactor = 80);

-- What each digest said (counts only), in the order they were sent.
CREATE TABLE digest_log (
  round_id text COLLATE "C" NOT NULL,
  seq      bigint GENERATED ALWAYS AS IDENTITY,
  entry    jsonb NOT NULL,
  PRIMARY KEY (round_id, seq)
);

-- Down Migration

DROP TABLE digest_log;
DROP TABLE interviews;
DROP TABLE round_counters;
DROP TABLE rounds;
