-- A webhook registered through the API belongs to the token that
-- registered it: that token lists and removes its own, and no other's.
-- Zero: registered at the desk.

-- +goose Up
ALTER TABLE webhooks ADD COLUMN token_id BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE webhooks DROP COLUMN token_id;
