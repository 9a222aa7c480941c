-- Two changes that keep reader pages as fast at 100,000 articles as at 1,000.
--
-- 1. Bodies move to their own table. SQLite stores a row's columns in order
--    and spills what does not fit in a page into overflow pages, so with
--    three copies of the body in the middle of every revision, reading a
--    listing's titles and dates walked through every body on the way.
--
-- 2. live_listings holds, for every live article, one row per category and
--    subject of its live revision, with the dates listings sort by, so that
--    a category page or a subject's timeline reads one index range and never
--    the whole archive. Publishing and unpublishing keep it current in the
--    same transaction.

-- +goose Up
CREATE TABLE revision_bodies (
    revision_id   INTEGER PRIMARY KEY REFERENCES revisions (id),
    body_markdown TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    body_text     TEXT NOT NULL
);
INSERT INTO revision_bodies (revision_id, body_markdown, body_html, body_text)
    SELECT id, body_markdown, body_html, body_text FROM revisions;

DROP TRIGGER revisions_immutable;
ALTER TABLE revisions DROP COLUMN body_markdown;
ALTER TABLE revisions DROP COLUMN body_html;
ALTER TABLE revisions DROP COLUMN body_text;

-- +goose StatementBegin
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note
ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER revision_bodies_immutable
BEFORE UPDATE ON revision_bodies
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER revision_bodies_kept
BEFORE DELETE ON revision_bodies
BEGIN
    SELECT RAISE(ABORT, 'revisions are kept forever');
END;
-- +goose StatementEnd

CREATE TABLE live_listings (
    kind         TEXT    NOT NULL CHECK (kind IN ('category', 'subject')),
    taxon_id     INTEGER NOT NULL,
    article_id   INTEGER NOT NULL REFERENCES articles (id),
    published_at DATETIME NOT NULL,
    -- '~' sorts after every date, so timelines put undated moments last
    -- straight from the index.
    event_date   TEXT NOT NULL,
    PRIMARY KEY (kind, taxon_id, article_id)
) WITHOUT ROWID;
CREATE INDEX live_listings_published_idx ON live_listings (kind, taxon_id, published_at, article_id);
CREATE INDEX live_listings_event_idx ON live_listings (kind, taxon_id, event_date, published_at, article_id);
CREATE INDEX live_listings_article_idx ON live_listings (article_id);

INSERT INTO live_listings (kind, taxon_id, article_id, published_at, event_date)
    SELECT 'category', rc.category_id, a.id, a.first_published_at, COALESCE(r.event_date, '~')
    FROM articles a JOIN revisions r ON r.id = a.live_revision_id
    JOIN revision_categories rc ON rc.revision_id = r.id
    WHERE a.state = 'live';
INSERT INTO live_listings (kind, taxon_id, article_id, published_at, event_date)
    SELECT 'subject', rs.subject_id, a.id, a.first_published_at, COALESCE(r.event_date, '~')
    FROM articles a JOIN revisions r ON r.id = a.live_revision_id
    JOIN revision_subjects rs ON rs.revision_id = r.id
    WHERE a.state = 'live';

-- +goose Down
DROP TABLE live_listings;
DROP TRIGGER revision_bodies_kept;
DROP TRIGGER revision_bodies_immutable;
DROP TRIGGER revisions_immutable;
ALTER TABLE revisions ADD COLUMN body_markdown TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
UPDATE revisions SET
    body_markdown = (SELECT body_markdown FROM revision_bodies WHERE revision_id = revisions.id),
    body_html = (SELECT body_html FROM revision_bodies WHERE revision_id = revisions.id),
    body_text = (SELECT body_text FROM revision_bodies WHERE revision_id = revisions.id);
DROP TABLE revision_bodies;
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
