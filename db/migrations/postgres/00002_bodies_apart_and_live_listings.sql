-- As sqlite/00002: bodies move to their own table, and live_listings gives
-- each listing one index range. (PostgreSQL has no overflow pages in the
-- middle of a row, but keeping one schema keeps one set of queries.)

-- +goose Up
CREATE TABLE revision_bodies (
    revision_id   BIGINT PRIMARY KEY REFERENCES revisions (id),
    body_markdown TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    body_text     TEXT NOT NULL
);
INSERT INTO revision_bodies (revision_id, body_markdown, body_html, body_text)
    SELECT id, body_markdown, body_html, body_text FROM revisions;

DROP TRIGGER revisions_immutable ON revisions;
ALTER TABLE revisions DROP COLUMN body_markdown;
ALTER TABLE revisions DROP COLUMN body_html;
ALTER TABLE revisions DROP COLUMN body_text;

CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note
ON revisions FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');

CREATE TRIGGER revision_bodies_immutable
BEFORE UPDATE ON revision_bodies FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');

CREATE TRIGGER revision_bodies_kept
BEFORE DELETE ON revision_bodies FOR EACH ROW EXECUTE FUNCTION refuse('revisions are kept forever');

CREATE TABLE live_listings (
    kind         TEXT   NOT NULL CHECK (kind IN ('category', 'subject')),
    taxon_id     BIGINT NOT NULL,
    article_id   BIGINT NOT NULL REFERENCES articles (id),
    published_at TIMESTAMPTZ NOT NULL,
    -- '~' sorts after every date in the C collation, so timelines put
    -- undated moments last straight from the index.
    event_date   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, taxon_id, article_id)
);
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
DROP TRIGGER revision_bodies_kept ON revision_bodies;
DROP TRIGGER revision_bodies_immutable ON revision_bodies;
DROP TRIGGER revisions_immutable ON revisions;
ALTER TABLE revisions ADD COLUMN body_markdown TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN body_text TEXT NOT NULL DEFAULT '';
UPDATE revisions SET body_markdown = b.body_markdown, body_html = b.body_html, body_text = b.body_text
    FROM revision_bodies b WHERE b.revision_id = revisions.id;
DROP TABLE revision_bodies;
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    body_markdown, body_html, body_text, event_date, reference_title, reference_url,
    attribution, word_count, reading_minutes, reading_minutes_override, change_note
ON revisions FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');
