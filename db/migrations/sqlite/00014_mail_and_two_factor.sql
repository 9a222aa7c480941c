-- Mail and two-factor login. Every mail Quire sends is first a row of
-- mail_outbox, written in the transaction of what caused it, so a mail is
-- never lost to a crash or a dead SMTP server; a worker in every instance
-- claims each row under a lease and sends it. Rows held for a daily digest
-- wait as 'held' until the digest that carries them is written.
-- Invitation and password reset tokens, and recovery codes, are kept only
-- as digests.

-- +goose Up
CREATE TABLE mail_outbox (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    account_id  INTEGER REFERENCES accounts (id), -- NULL for someone without an account (an invitee)
    to_address  TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    text_body   TEXT    NOT NULL,
    html_body   TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'held', 'digested', 'sent', 'failed')),
    created_at  DATETIME NOT NULL,
    due_at      DATETIME NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    claimed_by  TEXT    NOT NULL DEFAULT '',
    lease_until DATETIME,
    sent_at     DATETIME,
    last_error  TEXT    NOT NULL DEFAULT '',
    link        TEXT    NOT NULL DEFAULT '' -- the page a notification is about, for its line in a digest
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_held ON mail_outbox (account_id, created_at) WHERE status = 'held';

CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    email        TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    token_digest TEXT    NOT NULL UNIQUE,
    invited_by   INTEGER REFERENCES accounts (id),
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    accepted_at  DATETIME,
    revoked_at   DATETIME
);
CREATE INDEX invitations_email ON invitations (email);

CREATE TABLE password_resets (
    token_digest TEXT    PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    used_at      DATETIME
);
CREATE INDEX password_resets_account ON password_resets (account_id);

ALTER TABLE accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    code_digest TEXT    NOT NULL,
    used_at     DATETIME,
    PRIMARY KEY (account_id, code_digest)
) WITHOUT ROWID;

CREATE TABLE notification_choices (
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    kind       TEXT    NOT NULL,
    choice     TEXT    NOT NULL CHECK (choice IN ('now', 'digest', 'off')),
    PRIMARY KEY (account_id, kind)
) WITHOUT ROWID;

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
