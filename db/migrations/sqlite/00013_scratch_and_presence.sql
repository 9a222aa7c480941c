-- What the article form keeps between saves. A scratch copy is one
-- editor's unsaved form for one article (article 0: a new article not yet
-- saved), kept in the background while they type: not a revision, seen by
-- no one else, deleted when they save. Presence says who has an article's
-- form open; rows older than a minute mean nothing and are replaced.

-- +goose Up
CREATE TABLE scratch_copies (
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    article_id INTEGER NOT NULL, -- 0 for a new article
    base       INTEGER NOT NULL, -- the revision number the form was opened on; 0 for a new article
    form       TEXT    NOT NULL, -- the form's fields, URL-encoded
    saved_at   DATETIME NOT NULL,
    PRIMARY KEY (account_id, article_id)
) WITHOUT ROWID;

CREATE TABLE presence (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    opened_at  DATETIME NOT NULL,
    seen_at    DATETIME NOT NULL,
    PRIMARY KEY (article_id, account_id)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE presence;
DROP TABLE scratch_copies;
