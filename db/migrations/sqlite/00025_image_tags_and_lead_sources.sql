-- +goose Up
-- An image's public addresses carry a random tag, not its hash: the hash
-- of the original would let anyone holding a copy of the file (a source's
-- phone) prove it is the published image.
ALTER TABLE media ADD COLUMN tag TEXT NOT NULL DEFAULT '';
UPDATE media SET tag = lower(hex(randomblob(8)));
-- A lead image's source and licence are kept with the revision, as its
-- caption and credit are: changing them in the library changes no page
-- that was reviewed.
ALTER TABLE revisions ADD COLUMN lead_source_url TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN lead_licence TEXT NOT NULL DEFAULT '';
DROP TRIGGER revisions_immutable;
-- +goose StatementBegin
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note, links, lead_media_id, lead_alt, lead_caption, lead_credit,
    lead_source_url, lead_licence
ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd

-- +goose Down
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
ALTER TABLE revisions DROP COLUMN lead_licence;
ALTER TABLE revisions DROP COLUMN lead_source_url;
ALTER TABLE media DROP COLUMN tag;
