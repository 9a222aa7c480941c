package store

import (
	"context"
	"strings"

	"github.com/pressly/goose/v3"
)

// TamperRevisionTitle tries what no Quire code does: rewrite a saved revision.
func (s *Store) TamperRevisionTitle(ctx context.Context, id int64, title string) error {
	return s.exec(ctx, "UPDATE revisions SET title = ? WHERE id = ?", title, id)
}

// TamperRevisionBody tries to rewrite a saved revision's body.
func (s *Store) TamperRevisionBody(ctx context.Context, id int64, html string) error {
	return s.exec(ctx, "UPDATE revision_texts SET html = ? WHERE revision_id = ?", pack(html), id)
}

// TamperRevisionLinks tries to change a saved revision's links.
func (s *Store) TamperRevisionLinks(ctx context.Context, statement string, id int64) error {
	return s.exec(ctx, statement, id)
}

// ShrinkSearchWindow makes searches rank only the n newest matches until
// the test ends.
func ShrinkSearchWindow(t interface{ Cleanup(func()) }, n int) {
	searchWindow = n
	t.Cleanup(func() { searchWindow = SearchWindow })
}

// MigrateTo applies the migrations up to version and no further.
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// MigrateDownTo undoes the migrations above version.
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}

func (s *Store) provider() (*goose.Provider, error) {
	sqlDB, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	dialect, fsys, opts, err := s.dialect.migrations()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, sqlDB, fsys, opts...)
}

// Exec runs one statement outside any use case, as an older Quire would
// have written it.
func (s *Store) Exec(ctx context.Context, query string, args ...any) error {
	return s.w.WithContext(ctx).Exec(query, args...).Error
}

// ForgetDirectory marks the shared directory of names stale, as a change
// made by another process would, without reading it again.
func (s *Store) ForgetDirectory() { s.shared.taxa.invalidate() }

// ShrinkMoveBatch makes migration 20 move n bodies at a time until the
// test ends.
func ShrinkMoveBatch(t interface{ Cleanup(func()) }, n int) {
	moveBatch = n
	t.Cleanup(func() { moveBatch = 500 })
}

// UnsealedPlan is how SQLite means to count the unsealed rows.
func (s *Store) UnsealedPlan(ctx context.Context) (string, error) {
	rows, err := s.r.WithContext(ctx).Raw("EXPLAIN QUERY PLAN " + unsealedQuery).Rows()
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		plan.WriteString(detail + "\n")
	}
	return plan.String(), rows.Err()
}
