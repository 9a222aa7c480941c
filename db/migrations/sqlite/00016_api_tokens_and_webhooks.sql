-- API tokens and webhooks. A token's secret is kept only as its SHA-256;
-- a webhook's secret must be kept as it is, to sign each delivery with.
-- Deliveries are the webhooks' outbox: a row per webhook and event,
-- written in the transaction of the event, claimed under a lease like
-- mail_outbox.

-- +goose Up
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    scope        TEXT    NOT NULL CHECK (scope IN ('read:drafts', 'webhooks:manage')),
    secret_hash  TEXT    NOT NULL,
    created_by   INTEGER REFERENCES accounts (id),
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME,
    last_used_at DATETIME,
    revoked_at   DATETIME
);

CREATE TABLE webhooks (
    id              INTEGER PRIMARY KEY,
    url             TEXT    NOT NULL,
    events          TEXT    NOT NULL, -- space-separated event names
    secret          TEXT    NOT NULL,
    created_by      INTEGER REFERENCES accounts (id),
    created_at      DATETIME NOT NULL,
    failures        INTEGER NOT NULL DEFAULT 0, -- deliveries failed for good in a row
    disabled_at     DATETIME,
    disabled_reason TEXT    NOT NULL DEFAULT '',
    deleted_at      DATETIME
);

CREATE TABLE webhook_deliveries (
    id            INTEGER PRIMARY KEY,
    webhook_id    INTEGER NOT NULL REFERENCES webhooks (id),
    event         TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    created_at    DATETIME NOT NULL,
    due_at        DATETIME NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT    NOT NULL DEFAULT '',
    lease_until   DATETIME,
    delivered_at  DATETIME,
    response_code INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    took_ms       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, due_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE api_tokens;
