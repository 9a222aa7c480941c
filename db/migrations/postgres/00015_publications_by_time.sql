-- As sqlite/00015: publications by time, for the content API's
-- ?updated_since=.

-- +goose Up
CREATE INDEX publications_time_idx ON publications (published_at);

-- +goose Down
DROP INDEX publications_time_idx;
