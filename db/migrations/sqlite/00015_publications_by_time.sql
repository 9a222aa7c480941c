-- The content API lists articles published to since a moment
-- (?updated_since=): an index on publication time finds them without
-- reading every publication.

-- +goose Up
CREATE INDEX publications_time_idx ON publications (published_at);

-- +goose Down
DROP INDEX publications_time_idx;
