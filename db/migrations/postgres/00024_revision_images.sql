-- +goose Up
-- The images a revision shows: its lead image, with the words this
-- article shows beside it, and every use (lead and body) with the alt text
-- it was saved with. Like the rest of a revision, they never change, and
-- an image any revision used can be withdrawn but never deleted.
ALTER TABLE revisions ADD COLUMN lead_media_id BIGINT REFERENCES media (id);
ALTER TABLE revisions ADD COLUMN lead_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN lead_caption TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN lead_credit TEXT NOT NULL DEFAULT '';
DROP TRIGGER revisions_immutable ON revisions;
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note, links, lead_media_id, lead_alt, lead_caption, lead_credit
ON revisions FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');

CREATE TABLE revision_media (
    revision_id BIGINT  NOT NULL REFERENCES revisions (id),
    position    INTEGER NOT NULL, -- 0 is the lead image, when there is one
    media_id    BIGINT  NOT NULL REFERENCES media (id),
    lead        BOOLEAN NOT NULL DEFAULT FALSE,
    alt         TEXT    NOT NULL DEFAULT '',
    decorative  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (revision_id, position)
);
CREATE INDEX revision_media_by_media ON revision_media (media_id, revision_id);
CREATE TRIGGER revision_media_immutable BEFORE UPDATE ON revision_media
    FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');
CREATE TRIGGER revision_media_kept BEFORE DELETE ON revision_media
    FOR EACH ROW EXECUTE FUNCTION refuse('revisions are kept forever');

-- +goose Down
DROP TABLE revision_media;
DROP TRIGGER revisions_immutable ON revisions;
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note, links
ON revisions FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');
ALTER TABLE revisions DROP COLUMN lead_credit;
ALTER TABLE revisions DROP COLUMN lead_caption;
ALTER TABLE revisions DROP COLUMN lead_alt;
ALTER TABLE revisions DROP COLUMN lead_media_id;
