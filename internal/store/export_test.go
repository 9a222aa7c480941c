package store

import "context"

// TamperRevisionTitle tries what no Quire code does: rewrite a saved revision.
func (s *Store) TamperRevisionTitle(ctx context.Context, id int64, title string) error {
	return s.w.WithContext(ctx).Exec("UPDATE revisions SET title = ? WHERE id = ?", title, id).Error
}
