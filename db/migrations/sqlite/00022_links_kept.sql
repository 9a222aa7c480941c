-- +goose Up
-- A revision's categories and subjects, like its credits since 00012,
-- never change: the links column repeats them, and listings read them.
-- +goose StatementBegin
CREATE TRIGGER revision_categories_immutable BEFORE UPDATE ON revision_categories
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER revision_categories_kept BEFORE DELETE ON revision_categories
BEGIN
    SELECT RAISE(ABORT, 'revisions are kept forever');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER revision_subjects_immutable BEFORE UPDATE ON revision_subjects
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER revision_subjects_kept BEFORE DELETE ON revision_subjects
BEGIN
    SELECT RAISE(ABORT, 'revisions are kept forever');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER revision_subjects_kept;
DROP TRIGGER revision_subjects_immutable;
DROP TRIGGER revision_categories_kept;
DROP TRIGGER revision_categories_immutable;
