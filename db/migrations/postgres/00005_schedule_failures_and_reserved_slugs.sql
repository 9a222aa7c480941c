-- A scheduled publication that fails (a slug taken meanwhile, a database
-- error) is marked failed with the reason, so that it shows on the desk and
-- never holds up the schedules after it.

-- A slug is reserved by the newest revision of the article that will take
-- it, so that no other article can take it before that revision goes live;
-- the check reads revisions by slug.

-- +goose Up
ALTER TABLE schedules DROP CONSTRAINT schedules_state_check;
ALTER TABLE schedules ADD CONSTRAINT schedules_state_check CHECK (state IN ('pending', 'published', 'cancelled', 'failed'));
ALTER TABLE schedules ADD COLUMN failure TEXT NOT NULL DEFAULT '';

CREATE INDEX revisions_slug_idx ON revisions (slug);

-- +goose Down
DROP INDEX revisions_slug_idx;
UPDATE schedules SET state = 'cancelled' WHERE state = 'failed';
ALTER TABLE schedules DROP COLUMN failure;
ALTER TABLE schedules DROP CONSTRAINT schedules_state_check;
ALTER TABLE schedules ADD CONSTRAINT schedules_state_check CHECK (state IN ('pending', 'published', 'cancelled'));
