-- The dashboard's queues read head revisions by status, newest first, and
-- an author's own by author too: with these indexes each queue reads its
-- few newest rows, however many articles wait in it. The first makes the
-- index on status alone redundant.

-- +goose Up
CREATE INDEX revisions_queue_idx ON revisions (status, created_at);
CREATE INDEX revisions_author_queue_idx ON revisions (author_id, status, created_at);
DROP INDEX revisions_status_idx;

-- +goose Down
CREATE INDEX revisions_status_idx ON revisions (status);
DROP INDEX revisions_author_queue_idx;
DROP INDEX revisions_queue_idx;
