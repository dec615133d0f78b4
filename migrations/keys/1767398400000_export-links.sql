-- Export and analysis links work once: a link's id (a hash of it) lives here from issue until its first use or expiry.

-- Up Migration

CREATE TABLE export_links (
  id         text COLLATE "C" PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE INDEX export_links_expires_at ON export_links (expires_at);

-- Down Migration

DROP TABLE export_links;
