// Package storetest opens a real, migrated SQLite database for a test.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/quire-cms/quire/internal/store"
)

// New returns a migrated store in the test's temporary folder, closed when
// the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	return Open(t, filepath.Join(t.TempDir(), "quire.db"))
}

// Open opens and migrates the database at path, closed when the test ends.
func Open(t testing.TB, path string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}
