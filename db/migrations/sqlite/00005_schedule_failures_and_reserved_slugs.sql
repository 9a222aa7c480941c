-- A scheduled publication that fails (a slug taken meanwhile, a database
-- error) is marked failed with the reason, so that it shows on the desk and
-- never holds up the schedules after it. Nothing references schedules, so
-- the table is rebuilt with the new state and column.

-- A slug is reserved by the newest revision of the article that will take
-- it, so that no other article can take it before that revision goes live;
-- the check reads revisions by slug.

-- +goose Up
CREATE TABLE schedules_new (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    publish_at  DATETIME NOT NULL,
    minor       INTEGER  NOT NULL DEFAULT 0 CHECK (minor IN (0, 1)),
    state       TEXT     NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'cancelled', 'failed')),
    created_by  INTEGER REFERENCES accounts (id),
    created_at  DATETIME NOT NULL,
    claimed_by  TEXT,
    claimed_at  DATETIME,
    failure     TEXT     NOT NULL DEFAULT ''
);
INSERT INTO schedules_new (id, article_id, revision_id, publish_at, minor, state, created_by, created_at, claimed_by, claimed_at)
    SELECT id, article_id, revision_id, publish_at, minor, state, created_by, created_at, claimed_by, claimed_at FROM schedules;
DROP TABLE schedules;
ALTER TABLE schedules_new RENAME TO schedules;
CREATE UNIQUE INDEX schedules_one_pending_idx ON schedules (article_id) WHERE state = 'pending';
CREATE INDEX schedules_due_idx ON schedules (state, publish_at);

CREATE INDEX revisions_slug_idx ON revisions (slug);

-- +goose Down
DROP INDEX revisions_slug_idx;
UPDATE schedules SET state = 'cancelled' WHERE state = 'failed';
CREATE TABLE schedules_old (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    publish_at  DATETIME NOT NULL,
    minor       INTEGER  NOT NULL DEFAULT 0 CHECK (minor IN (0, 1)),
    state       TEXT     NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'cancelled')),
    created_by  INTEGER REFERENCES accounts (id),
    created_at  DATETIME NOT NULL,
    claimed_by  TEXT,
    claimed_at  DATETIME
);
INSERT INTO schedules_old SELECT id, article_id, revision_id, publish_at, minor, state, created_by, created_at, claimed_by, claimed_at FROM schedules;
DROP TABLE schedules;
ALTER TABLE schedules_old RENAME TO schedules;
CREATE UNIQUE INDEX schedules_one_pending_idx ON schedules (article_id) WHERE state = 'pending';
CREATE INDEX schedules_due_idx ON schedules (state, publish_at);
