-- +goose Up
-- An image's public addresses carry a random tag, not its hash: the hash
-- of the original would let anyone holding a copy of the file (a source's
-- phone) prove it is the published image.
ALTER TABLE media ADD COLUMN tag TEXT NOT NULL DEFAULT '';
UPDATE media SET tag = substr(md5(random()::text || clock_timestamp()::text || id::text), 1, 16);
-- A lead image's source and licence are kept with the revision, as its
-- caption and credit are: changing them in the library changes no page
-- that was reviewed.
ALTER TABLE revisions ADD COLUMN lead_source_url TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN lead_licence TEXT NOT NULL DEFAULT '';
DROP TRIGGER revisions_immutable ON revisions;
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note, links, lead_media_id, lead_alt, lead_caption, lead_credit,
    lead_source_url, lead_licence
ON revisions FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');

-- +goose Down
DROP TRIGGER revisions_immutable ON revisions;
CREATE TRIGGER revisions_immutable
BEFORE UPDATE OF id, article_id, number, parent_id, author_id, created_at, slug, title, dek,
    event_date, reference_title, reference_url, attribution, word_count, reading_minutes,
    reading_minutes_override, change_note, links, lead_media_id, lead_alt, lead_caption, lead_credit
ON revisions FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');
ALTER TABLE revisions DROP COLUMN lead_licence;
ALTER TABLE revisions DROP COLUMN lead_source_url;
ALTER TABLE media DROP COLUMN tag;
