-- +goose Up
-- The images a revision shows: its lead image, with the words this
-- article shows beside it, and every use (lead and body) with the alt text
-- it was saved with. Like the rest of a revision, they never change, and
-- an image any revision used can be withdrawn but never deleted.
ALTER TABLE revisions ADD COLUMN lead_media_id INTEGER REFERENCES media (id);
ALTER TABLE revisions ADD COLUMN lead_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN lead_caption TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN lead_credit TEXT NOT NULL DEFAULT '';
DROP TRIGGER revisions_immutable;
-- +goose StatementBegin
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note, links, lead_media_id, lead_alt, lead_caption, lead_credit
ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd

CREATE TABLE revision_media (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    position    INTEGER NOT NULL, -- 0 is the lead image, when there is one
    media_id    INTEGER NOT NULL REFERENCES media (id),
    lead        INTEGER NOT NULL DEFAULT 0 CHECK (lead IN (0, 1)),
    alt         TEXT    NOT NULL DEFAULT '',
    decorative  INTEGER NOT NULL DEFAULT 0 CHECK (decorative IN (0, 1)),
    PRIMARY KEY (revision_id, position)
);
CREATE INDEX revision_media_by_media ON revision_media (media_id, revision_id);
-- +goose StatementBegin
CREATE TRIGGER revision_media_immutable BEFORE UPDATE ON revision_media
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER revision_media_kept BEFORE DELETE ON revision_media
BEGIN
    SELECT RAISE(ABORT, 'revisions are kept forever');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE revision_media;
DROP TRIGGER revisions_immutable;
-- +goose StatementBegin
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note, links
ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd
ALTER TABLE revisions DROP COLUMN lead_credit;
ALTER TABLE revisions DROP COLUMN lead_caption;
ALTER TABLE revisions DROP COLUMN lead_alt;
ALTER TABLE revisions DROP COLUMN lead_media_id;
