-- As sqlite/00013: editors' scratch copies of the article form, and who
-- has an article's form open.

-- +goose Up
CREATE TABLE scratch_copies (
    account_id BIGINT  NOT NULL REFERENCES accounts (id),
    article_id BIGINT  NOT NULL, -- 0 for a new article
    base       INTEGER NOT NULL,
    form       TEXT    NOT NULL,
    saved_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, article_id)
);

CREATE TABLE presence (
    article_id BIGINT NOT NULL REFERENCES articles (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    opened_at  TIMESTAMPTZ NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, account_id)
);

-- +goose Down
DROP TABLE presence;
DROP TABLE scratch_copies;
