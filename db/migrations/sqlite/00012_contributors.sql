-- Contributors are the people behind articles (writers, researchers,
-- fact-checkers, guest historians without a desk account). A revision
-- credits them in order, each in a role; like every part of a revision,
-- its credits never change once saved. Former slugs of contributors,
-- categories and subjects redirect to their pages. The network decides
-- whether articles show who reviewed them.

-- +goose Up
CREATE TABLE contributors (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL CHECK (name <> ''),
    bio         TEXT    NOT NULL DEFAULT '',
    affiliation TEXT    NOT NULL DEFAULT '',
    website     TEXT    NOT NULL DEFAULT '',
    links       TEXT    NOT NULL DEFAULT '', -- profile links, one per line
    account_id  INTEGER REFERENCES accounts (id),
    hidden      INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX contributors_name_idx ON contributors (name);

CREATE TABLE revision_credits (
    revision_id    INTEGER NOT NULL REFERENCES revisions (id),
    position       INTEGER NOT NULL,
    contributor_id INTEGER NOT NULL REFERENCES contributors (id),
    role           TEXT    NOT NULL CHECK (role IN ('written_by', 'reporting', 'research', 'fact_check', 'translation', 'photography')),
    PRIMARY KEY (revision_id, position),
    UNIQUE (revision_id, contributor_id, role)
) WITHOUT ROWID;
CREATE INDEX revision_credits_contributor_idx ON revision_credits (contributor_id, revision_id);

-- +goose StatementBegin
CREATE TRIGGER revision_credits_immutable BEFORE UPDATE ON revision_credits
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER revision_credits_kept BEFORE DELETE ON revision_credits
BEGIN
    SELECT RAISE(ABORT, 'revisions are kept forever');
END;
-- +goose StatementEnd

CREATE TABLE slug_redirects (
    kind       TEXT    NOT NULL CHECK (kind IN ('category', 'subject', 'contributor')),
    slug       TEXT    NOT NULL,
    target_id  INTEGER NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (kind, slug)
) WITHOUT ROWID;

ALTER TABLE networks ADD COLUMN show_review INTEGER NOT NULL DEFAULT 1 CHECK (show_review IN (0, 1));

-- live_listings gains a listing per contributor. Nothing points at it, so
-- it is rebuilt with the wider CHECK.
CREATE TABLE live_listings_new (
    kind         TEXT    NOT NULL CHECK (kind IN ('all', 'category', 'subject', 'contributor')),
    taxon_id     INTEGER NOT NULL, -- 0 for 'all'
    article_id   INTEGER NOT NULL REFERENCES articles (id),
    published_at DATETIME NOT NULL,
    event_date   TEXT NOT NULL,
    PRIMARY KEY (kind, taxon_id, article_id)
) WITHOUT ROWID;
INSERT INTO live_listings_new SELECT kind, taxon_id, article_id, published_at, event_date FROM live_listings;
DROP TABLE live_listings;
ALTER TABLE live_listings_new RENAME TO live_listings;
CREATE INDEX live_listings_published_idx ON live_listings (kind, taxon_id, published_at, article_id);
CREATE INDEX live_listings_event_idx ON live_listings (kind, taxon_id, event_date, published_at, article_id);
CREATE INDEX live_listings_article_idx ON live_listings (article_id);

-- +goose Down
DELETE FROM listing_counts WHERE kind = 'contributor';
CREATE TABLE live_listings_old (
    kind         TEXT    NOT NULL CHECK (kind IN ('all', 'category', 'subject')),
    taxon_id     INTEGER NOT NULL,
    article_id   INTEGER NOT NULL REFERENCES articles (id),
    published_at DATETIME NOT NULL,
    event_date   TEXT NOT NULL,
    PRIMARY KEY (kind, taxon_id, article_id)
) WITHOUT ROWID;
INSERT INTO live_listings_old SELECT kind, taxon_id, article_id, published_at, event_date FROM live_listings WHERE kind <> 'contributor';
DROP TABLE live_listings;
ALTER TABLE live_listings_old RENAME TO live_listings;
CREATE INDEX live_listings_published_idx ON live_listings (kind, taxon_id, published_at, article_id);
CREATE INDEX live_listings_event_idx ON live_listings (kind, taxon_id, event_date, published_at, article_id);
CREATE INDEX live_listings_article_idx ON live_listings (article_id);
ALTER TABLE networks DROP COLUMN show_review;
DROP TABLE slug_redirects;
DROP TRIGGER revision_credits_kept;
DROP TRIGGER revision_credits_immutable;
DROP TABLE revision_credits;
DROP TABLE contributors;
