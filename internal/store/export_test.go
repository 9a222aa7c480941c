package store

import "context"

// TamperRevisionTitle tries what no Quire code does: rewrite a saved revision.
func (s *Store) TamperRevisionTitle(ctx context.Context, id int64, title string) error {
	return s.exec(ctx, "UPDATE revisions SET title = ? WHERE id = ?", title, id)
}

// ShrinkSearchWindow makes searches rank only the n newest matches until
// the test ends.
func ShrinkSearchWindow(t interface{ Cleanup(func()) }, n int) {
	searchWindow = n
	t.Cleanup(func() { searchWindow = SearchWindow })
}
