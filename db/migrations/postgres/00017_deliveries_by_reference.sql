-- A publication's webhook deliveries name the version published instead
-- of carrying the article: the worker makes the payload from that
-- version, which never changes, at each attempt, so the publication's
-- transaction writes a few small rows whatever the number of webhooks. The event's id and
-- moment are fixed when it happens.

-- +goose Up
ALTER TABLE webhook_deliveries ADD COLUMN article_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN envelope_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE webhook_deliveries DROP COLUMN envelope_id;
ALTER TABLE webhook_deliveries DROP COLUMN version;
ALTER TABLE webhook_deliveries DROP COLUMN article_id;
