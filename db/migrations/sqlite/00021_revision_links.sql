-- +goose Up
-- A revision's categories, subjects and credits, in order, also as one
-- column of the revision ("c3 c5 s12 p7:written_by"), so that a page
-- showing revisions names them without another query. The link tables
-- stay: listings by category, subject and contributor read them.
ALTER TABLE revisions ADD COLUMN links TEXT NOT NULL DEFAULT '';
UPDATE revisions SET links = concat_ws(' ',
    (SELECT group_concat('c' || category_id, ' ' ORDER BY position) FROM revision_categories WHERE revision_id = revisions.id),
    (SELECT group_concat('s' || subject_id, ' ' ORDER BY position) FROM revision_subjects WHERE revision_id = revisions.id),
    (SELECT group_concat('p' || contributor_id || ':' || role, ' ' ORDER BY position) FROM revision_credits WHERE revision_id = revisions.id));

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

-- +goose Down
DROP TRIGGER revisions_immutable;
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
ALTER TABLE revisions DROP COLUMN links;
