-- A review decision may be Quire's own (reviewer_id NULL), as for the demo
-- article, which goes through review like any other instead of being
-- stored as already approved. Nothing references reviews, so the table is
-- rebuilt without the NOT NULL.

-- +goose Up
CREATE TABLE reviews_new (
    id          INTEGER PRIMARY KEY,
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    reviewer_id INTEGER REFERENCES accounts (id),
    decision    TEXT    NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
    comment     TEXT    NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
INSERT INTO reviews_new (id, revision_id, reviewer_id, decision, comment, created_at)
    SELECT id, revision_id, reviewer_id, decision, comment, created_at FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_new RENAME TO reviews;
CREATE INDEX reviews_revision_idx ON reviews (revision_id);

-- +goose Down
DELETE FROM reviews WHERE reviewer_id IS NULL;
CREATE TABLE reviews_old (
    id          INTEGER PRIMARY KEY,
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    reviewer_id INTEGER NOT NULL REFERENCES accounts (id),
    decision    TEXT    NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
    comment     TEXT    NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
INSERT INTO reviews_old SELECT * FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_old RENAME TO reviews;
CREATE INDEX reviews_revision_idx ON reviews (revision_id);
