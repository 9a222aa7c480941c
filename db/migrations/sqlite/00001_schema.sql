-- The whole data model of DESIGN.md. Later migrations add behaviour, not rewrites.

-- +goose Up

-- One row: the editorial network this Quire publishes. cache_generation is
-- bumped whenever something readers see changes, so every process sharing the
-- database can tell that its page cache is stale.
CREATE TABLE networks (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    name             TEXT    NOT NULL,
    short_name       TEXT    NOT NULL,
    attribution      TEXT    NOT NULL,
    tagline          TEXT    NOT NULL DEFAULT '',
    time_zone        TEXT    NOT NULL DEFAULT 'UTC',
    words_per_minute INTEGER NOT NULL DEFAULT 200 CHECK (words_per_minute BETWEEN 50 AND 1000),
    cache_generation INTEGER NOT NULL DEFAULT 0,
    updated_at       DATETIME NOT NULL
);

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'reviewer', 'editor')),
    password_hash TEXT    NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Bumped when the password changes or the account is deactivated; a
    -- session remembers the epoch it was created in and dies when it moves.
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL,
    last_login_at DATETIME
);

-- Server-side sessions in the layout of scs's sqlite3store (expiry is a
-- Julian day number).
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed-login counters, keyed by account email or client address.
CREATE TABLE login_throttles (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start DATETIME NOT NULL,
    locked_until DATETIME
);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);

-- A subject is a person or topic with a hub page ("Life Moments of Joseph Stalin").
CREATE TABLE subjects (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    hub_title   TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);

-- The stable identity of an article. slug is its public URL; state is its
-- public state; first_published_at is "Published" and last_updated_at is
-- "Updated" (the latest non-minor publication).
CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    slug               TEXT    NOT NULL UNIQUE,
    state              TEXT    NOT NULL DEFAULT 'never'
                       CHECK (state IN ('never', 'live', 'scheduled', 'unpublished')),
    head_revision_id   INTEGER REFERENCES revisions (id),
    live_revision_id   INTEGER REFERENCES revisions (id),
    first_published_at DATETIME,
    last_updated_at    DATETIME,
    created_by         INTEGER REFERENCES accounts (id),
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX articles_live_idx ON articles (state, first_published_at);

-- Former slugs, so that old URLs answer with a redirect after a slug change.
CREATE TABLE article_redirects (
    slug       TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id),
    created_at DATETIME NOT NULL
);

-- An immutable snapshot of everything a reader sees. Only status (the
-- workflow position) may change after insert; triggers below enforce it.
CREATE TABLE revisions (
    id                       INTEGER PRIMARY KEY,
    article_id               INTEGER NOT NULL REFERENCES articles (id),
    number                   INTEGER NOT NULL CHECK (number > 0),
    parent_id                INTEGER REFERENCES revisions (id),
    author_id                INTEGER REFERENCES accounts (id),
    created_at               DATETIME NOT NULL,
    slug                     TEXT    NOT NULL,
    title                    TEXT    NOT NULL CHECK (title <> ''),
    dek                      TEXT    NOT NULL DEFAULT '',
    body_markdown            TEXT    NOT NULL,
    body_html                TEXT    NOT NULL,
    body_text                TEXT    NOT NULL,
    event_date               TEXT CHECK (event_date IS NULL OR date(event_date) = event_date),
    reference_title          TEXT    NOT NULL DEFAULT '',
    reference_url            TEXT    NOT NULL DEFAULT '',
    attribution              TEXT    NOT NULL,
    word_count               INTEGER NOT NULL,
    reading_minutes          INTEGER NOT NULL CHECK (reading_minutes > 0),
    reading_minutes_override INTEGER,
    change_note              TEXT    NOT NULL DEFAULT '',
    status                   TEXT    NOT NULL DEFAULT 'draft'
                             CHECK (status IN ('draft', 'in_review', 'changes_requested', 'approved', 'published')),
    UNIQUE (article_id, number)
);
CREATE INDEX revisions_status_idx ON revisions (status);

-- +goose StatementBegin
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    body_markdown, body_html, body_text, event_date, reference_title, reference_url,
    attribution, word_count, reading_minutes, reading_minutes_override, change_note
ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER revisions_kept
BEFORE DELETE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are kept forever');
END;
-- +goose StatementEnd

CREATE TABLE revision_categories (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (revision_id, category_id)
);
CREATE INDEX revision_categories_category_idx ON revision_categories (category_id);

CREATE TABLE revision_subjects (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    subject_id  INTEGER NOT NULL REFERENCES subjects (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (revision_id, subject_id)
);
CREATE INDEX revision_subjects_subject_idx ON revision_subjects (subject_id);

-- A review decision on one exact revision.
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    reviewer_id INTEGER NOT NULL REFERENCES accounts (id),
    decision    TEXT    NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
    comment     TEXT    NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX reviews_revision_idx ON reviews (revision_id);

-- Every time a revision went live. published_by is NULL for the scheduler
-- and the demo loader.
CREATE TABLE publications (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id),
    revision_id  INTEGER NOT NULL REFERENCES revisions (id),
    published_by INTEGER REFERENCES accounts (id),
    published_at DATETIME NOT NULL,
    minor        INTEGER NOT NULL DEFAULT 0 CHECK (minor IN (0, 1))
);
CREATE INDEX publications_article_idx ON publications (article_id, published_at);

-- A scheduled publication. claimed_by/claimed_at record which process
-- published it, so it happens exactly once.
CREATE TABLE schedules (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    publish_at  DATETIME NOT NULL,
    minor       INTEGER  NOT NULL DEFAULT 0 CHECK (minor IN (0, 1)),
    state       TEXT     NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'cancelled')),
    created_by  INTEGER REFERENCES accounts (id),
    created_at  DATETIME NOT NULL,
    claimed_by  TEXT,
    claimed_at  DATETIME
);
CREATE UNIQUE INDEX schedules_one_pending_idx ON schedules (article_id) WHERE state = 'pending';
CREATE INDEX schedules_due_idx ON schedules (state, publish_at);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          DATETIME NOT NULL,
    actor_id    INTEGER REFERENCES accounts (id),
    action      TEXT    NOT NULL,
    article_id  INTEGER REFERENCES articles (id),
    revision_id INTEGER REFERENCES revisions (id),
    detail      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_article_idx ON audit_events (article_id, at);
CREATE INDEX audit_events_at_idx ON audit_events (at);

-- Full-text index over live revisions; rowid is the article id. Needs FTS5
-- compiled in (build tag sqlite_fts5): without it this migration fails.
CREATE VIRTUAL TABLE search_index USING fts5 (
    title, dek, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- +goose Down
DROP TABLE search_index;
DROP TABLE audit_events;
DROP TABLE schedules;
DROP TABLE publications;
DROP TABLE reviews;
DROP TABLE revision_subjects;
DROP TABLE revision_categories;
DROP TRIGGER revisions_kept;
DROP TRIGGER revisions_immutable;
DROP TABLE revisions;
DROP TABLE article_redirects;
DROP TABLE articles;
DROP TABLE subjects;
DROP TABLE categories;
DROP TABLE login_throttles;
DROP TABLE sessions;
DROP TABLE accounts;
DROP TABLE networks;
