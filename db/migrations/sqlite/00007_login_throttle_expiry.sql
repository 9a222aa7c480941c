-- Login throttles are keyed by fixed-size digests now, and rows whose window
-- and lockout are over are deleted as new failures come in; the index finds
-- them. Rows keyed the old way (the raw email or address, of any length)
-- are dropped: they only counted failures of the last quarter hour.

-- +goose Up
DELETE FROM login_throttles;
CREATE INDEX login_throttles_window_idx ON login_throttles (window_start);

-- +goose Down
DROP INDEX login_throttles_window_idx;
