-- +goose Up
-- A revision's categories and subjects, like its credits since 00012,
-- never change: the links column repeats them, and listings read them.
CREATE TRIGGER revision_categories_immutable BEFORE UPDATE ON revision_categories
    FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');
CREATE TRIGGER revision_categories_kept BEFORE DELETE ON revision_categories
    FOR EACH ROW EXECUTE FUNCTION refuse('revisions are kept forever');
CREATE TRIGGER revision_subjects_immutable BEFORE UPDATE ON revision_subjects
    FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');
CREATE TRIGGER revision_subjects_kept BEFORE DELETE ON revision_subjects
    FOR EACH ROW EXECUTE FUNCTION refuse('revisions are kept forever');

-- +goose Down
DROP TRIGGER revision_subjects_kept ON revision_subjects;
DROP TRIGGER revision_subjects_immutable ON revision_subjects;
DROP TRIGGER revision_categories_kept ON revision_categories;
DROP TRIGGER revision_categories_immutable ON revision_categories;
