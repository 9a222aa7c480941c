-- +goose Up
-- Revision bodies, compressed: each of the Markdown, the HTML and the plain
-- text is one zstd frame, and the plain text's opening is kept as it is,
-- for listings and page descriptions. The next migration (Go code in the
-- store, the same on both databases) moves every body from
-- revision_bodies here and drops that table.
CREATE TABLE revision_texts (
    revision_id BIGINT PRIMARY KEY REFERENCES revisions (id),
    markdown    BYTEA NOT NULL,
    html        BYTEA NOT NULL,
    plain       BYTEA NOT NULL,
    excerpt     TEXT  NOT NULL
);
-- Already compressed: TOAST keeps them out of line without trying again.
ALTER TABLE revision_texts ALTER COLUMN markdown SET STORAGE EXTERNAL;
ALTER TABLE revision_texts ALTER COLUMN html SET STORAGE EXTERNAL;
ALTER TABLE revision_texts ALTER COLUMN plain SET STORAGE EXTERNAL;
CREATE TRIGGER revision_texts_immutable
BEFORE UPDATE ON revision_texts FOR EACH ROW EXECUTE FUNCTION refuse('revisions are immutable');
CREATE TRIGGER revision_texts_kept
BEFORE DELETE ON revision_texts FOR EACH ROW EXECUTE FUNCTION refuse('revisions are kept forever');

-- +goose Down
DROP TABLE revision_texts;
