-- First-run setup needs the one-time link Quire prints when it starts
-- with no accounts: only the digest of its token is kept, by every
-- instance, and all are deleted once the first admin exists.

-- +goose Up
CREATE TABLE setup_tokens (
    digest     TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE setup_tokens;
