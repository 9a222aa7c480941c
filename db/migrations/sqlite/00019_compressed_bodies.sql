-- +goose Up
-- Revision bodies, compressed: each of the Markdown, the HTML and the plain
-- text is one zstd frame, and the plain text's opening is kept as it is,
-- for listings and page descriptions. The next migration (Go code in the
-- store, the same on both databases) moves every body from
-- revision_bodies here and drops that table.
CREATE TABLE revision_texts (
    revision_id INTEGER PRIMARY KEY REFERENCES revisions (id),
    markdown    BLOB NOT NULL,
    html        BLOB NOT NULL,
    plain       BLOB NOT NULL,
    excerpt     TEXT NOT NULL
);
-- +goose StatementBegin
CREATE TRIGGER revision_texts_immutable BEFORE UPDATE ON revision_texts
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER revision_texts_kept BEFORE DELETE ON revision_texts
BEGIN
    SELECT RAISE(ABORT, 'revisions are kept forever');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE revision_texts;
