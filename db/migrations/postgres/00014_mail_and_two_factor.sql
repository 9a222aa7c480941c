-- As sqlite/00014: the mail outbox, invitations, password resets,
-- two-factor secrets and recovery codes, notification choices, and the
-- network's two-factor requirement.

-- +goose Up
CREATE TABLE mail_outbox (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT    NOT NULL,
    account_id  BIGINT  REFERENCES accounts (id),
    to_address  TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    text_body   TEXT    NOT NULL,
    html_body   TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'held', 'digested', 'sent', 'failed')),
    created_at  TIMESTAMPTZ NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    claimed_by  TEXT    NOT NULL DEFAULT '',
    lease_until TIMESTAMPTZ,
    sent_at     TIMESTAMPTZ,
    last_error  TEXT    NOT NULL DEFAULT '',
    link        TEXT    NOT NULL DEFAULT '' -- the page a notification is about, for its line in a digest
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_held ON mail_outbox (account_id, created_at) WHERE status = 'held';

CREATE TABLE invitations (
    id           BIGSERIAL PRIMARY KEY,
    email        TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    token_digest TEXT    NOT NULL UNIQUE,
    invited_by   BIGINT  REFERENCES accounts (id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    accepted_at  TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX invitations_email ON invitations (email);

CREATE TABLE password_resets (
    token_digest TEXT    PRIMARY KEY,
    account_id   BIGINT  NOT NULL REFERENCES accounts (id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);
CREATE INDEX password_resets_account ON password_resets (account_id);

ALTER TABLE accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    account_id  BIGINT  NOT NULL REFERENCES accounts (id),
    code_digest TEXT    NOT NULL,
    used_at     TIMESTAMPTZ,
    PRIMARY KEY (account_id, code_digest)
);

CREATE TABLE notification_choices (
    account_id BIGINT  NOT NULL REFERENCES accounts (id),
    kind       TEXT    NOT NULL,
    choice     TEXT    NOT NULL CHECK (choice IN ('now', 'digest', 'off')),
    PRIMARY KEY (account_id, kind)
);

ALTER TABLE networks ADD COLUMN require_two_factor TEXT NOT NULL DEFAULT 'nobody'
    CHECK (require_two_factor IN ('nobody', 'admins', 'everyone'));

-- +goose Down
ALTER TABLE networks DROP COLUMN require_two_factor;
DROP TABLE notification_choices;
DROP TABLE recovery_codes;
ALTER TABLE accounts DROP COLUMN totp_last_step;
ALTER TABLE accounts DROP COLUMN totp_pending;
ALTER TABLE accounts DROP COLUMN totp_secret;
DROP TABLE password_resets;
DROP TABLE invitations;
DROP TABLE mail_outbox;
