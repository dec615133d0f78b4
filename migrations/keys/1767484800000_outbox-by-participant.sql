-- Withdrawal forgets every outbox job that names the participant, and the chat-target clean-up asks whether any
-- job still names one: both look jobs up by pseudonym.

-- Up Migration

CREATE INDEX outbox_by_participant ON outbox ((job ->> 'pseudonym'));

-- Down Migration

DROP INDEX outbox_by_participant;
