-- As sqlite/00003: the home page joins live_listings (kind 'all', taxon 0),
-- and listing_counts keeps how many articles each listing has.

-- +goose Up
DROP TABLE live_listings;
CREATE TABLE live_listings (
    kind         TEXT   NOT NULL CHECK (kind IN ('all', 'category', 'subject')),
    taxon_id     BIGINT NOT NULL, -- 0 for 'all'
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
    SELECT 'all', 0, a.id, a.first_published_at, COALESCE(r.event_date, '~')
    FROM articles a JOIN revisions r ON r.id = a.live_revision_id WHERE a.state = 'live';
INSERT INTO live_listings (kind, taxon_id, article_id, published_at, event_date)
    SELECT 'category', rc.category_id, a.id, a.first_published_at, COALESCE(r.event_date, '~')
    FROM articles a JOIN revisions r ON r.id = a.live_revision_id
    JOIN revision_categories rc ON rc.revision_id = r.id WHERE a.state = 'live';
INSERT INTO live_listings (kind, taxon_id, article_id, published_at, event_date)
    SELECT 'subject', rs.subject_id, a.id, a.first_published_at, COALESCE(r.event_date, '~')
    FROM articles a JOIN revisions r ON r.id = a.live_revision_id
    JOIN revision_subjects rs ON rs.revision_id = r.id WHERE a.state = 'live';

CREATE TABLE listing_counts (
    kind     TEXT   NOT NULL,
    taxon_id BIGINT NOT NULL,
    n        BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (kind, taxon_id)
);
INSERT INTO listing_counts (kind, taxon_id, n)
    SELECT kind, taxon_id, COUNT(*) FROM live_listings GROUP BY kind, taxon_id;

-- +goose Down
DROP TABLE listing_counts;
DELETE FROM live_listings WHERE kind = 'all';
