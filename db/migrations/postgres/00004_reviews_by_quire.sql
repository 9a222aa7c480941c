-- A review decision may be Quire's own (reviewer_id NULL), as for the demo
-- article, which goes through review like any other instead of being
-- stored as already approved.

-- +goose Up
ALTER TABLE reviews ALTER COLUMN reviewer_id DROP NOT NULL;

-- +goose Down
DELETE FROM reviews WHERE reviewer_id IS NULL;
ALTER TABLE reviews ALTER COLUMN reviewer_id SET NOT NULL;
