-- A completed interview's CSV cells (src/export/cells.ts), written by the store in the same statement as its record,
-- and the key of the content they were made for: the CLI's CSV export copies them where the key is its own, and
-- reads the record otherwise. Every save sets both (NULL for an interview in progress), and so does every other
-- write of `data`, so that cells never outlive the record they were made from. No identity is in them: the
-- interview's choices, columns and scrubbed answers, without its code.

-- Up Migration

ALTER TABLE interviews ADD COLUMN export_key text, ADD COLUMN export_cells bytea;

-- Down Migration

ALTER TABLE interviews DROP COLUMN export_cells, DROP COLUMN export_key;
