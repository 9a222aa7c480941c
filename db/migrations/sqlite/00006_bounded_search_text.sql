-- The search index keeps only the opening of each body (the first 65,536
-- characters): a search, and the excerpt it shows, then cost the same
-- whatever the length of the articles, and a body of any length fits
-- PostgreSQL's tsvector. The bodies themselves are kept whole.

-- +goose Up
UPDATE search_index SET body = substr(body, 1, 65536) WHERE length(body) > 65536;

-- +goose Down
SELECT 1;
