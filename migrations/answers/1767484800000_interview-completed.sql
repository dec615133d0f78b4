-- Whether an interview is completed, written by the store beside the record on every save: an export lists the
-- completed codes of a round from this column, without reading 60,000 records to find them. Not a generated
-- column: PostgreSQL cannot read inside a `json` value that holds \u0000 (see the interviews table). NULL for rows
-- saved before this migration; the store reads those records to tell.

-- Up Migration

ALTER TABLE interviews ADD COLUMN completed boolean;

-- Down Migration

ALTER TABLE interviews DROP COLUMN completed;
