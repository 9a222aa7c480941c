-- +goose Up
-- The media library. Originals live in the database, apart from their
-- details so that listing the library never reads an image's bytes, and
-- so that every backup and every instance has them; renditions are
-- derived and cached on each instance's disk.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
    format       TEXT    NOT NULL CHECK (format IN ('jpeg', 'png', 'gif', 'webp')),
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    size         INTEGER NOT NULL CHECK (size > 0),
    file_name    TEXT    NOT NULL DEFAULT '', -- as uploaded: metadata only
    alt          TEXT    NOT NULL DEFAULT '',
    decorative   INTEGER NOT NULL DEFAULT 0 CHECK (decorative IN (0, 1)),
    caption      TEXT    NOT NULL DEFAULT '',
    credit       TEXT    NOT NULL DEFAULT '',
    source_url   TEXT    NOT NULL DEFAULT '',
    licence      TEXT    NOT NULL DEFAULT '',
    focus_x      INTEGER NOT NULL DEFAULT 50 CHECK (focus_x BETWEEN 0 AND 100),
    focus_y      INTEGER NOT NULL DEFAULT 50 CHECK (focus_y BETWEEN 0 AND 100),
    uploaded_by  INTEGER REFERENCES accounts (id),
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    withdrawn_at DATETIME,
    withdrawn_by INTEGER REFERENCES accounts (id)
);
CREATE INDEX media_by_time ON media (created_at DESC, id DESC);

CREATE TABLE media_files (
    media_id INTEGER PRIMARY KEY REFERENCES media (id) ON DELETE CASCADE,
    data     BLOB    NOT NULL
);

-- +goose Down
DROP TABLE media_files;
DROP TABLE media;
