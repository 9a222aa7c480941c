package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/quire-cms/quire/internal/article"
)

// The reader's hottest reads (the article page, the listings) run on
// database/sql directly and scan without reflection: there, gorm's
// statement building and reflective scanning cost as much as SQLite's own
// work (README, Performance). The SQL is the dialects' common ground, with
// ? placeholders that the dialect rewrites where it must.

// query runs one read on the transaction the Store is in, or on the read
// pool, counted with the statements gorm runs.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s.shared.statements.Add(1)
	return s.read(ctx).Statement.ConnPool.QueryContext(ctx, s.dialect.placeholders(q), args...)
}

// each runs q and calls scan for every row, then reports the first error.
func (s *Store) each(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// inList returns "(?, ?, …)" for n values.
func inList(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// directory is every category, subject and contributor by id, as read at
// one moment: what the links of a revision name.
type directory struct {
	version      int64 // of shared.taxa when it was read
	categories   map[int64]article.Category
	subjects     map[int64]article.Subject
	contributors map[int64]article.Contributor
}

// taxaCache is the directory that reads share. A write here that moves
// the content generation, as every change readers can see does, makes it
// stale once committed; so does a move of the generation read from the
// database (changes made by other processes). Whoever notices, outside any
// transaction, reads it again at once, so that read transactions, which
// never wait for a second connection of the pool, find it current.
type taxaCache struct {
	version atomic.Int64
	dir     atomic.Pointer[directory]
	reading sync.Mutex // one reload at a time
}

// directory returns the categories, subjects and contributors with the
// ids given (each kind keyed by 'c', 's', 'p'): the shared directory when
// it is current and names them all. A transaction otherwise reads the rows
// asked for within itself (a write transaction always does, so that its
// own changes show): it holds a connection of the pool, and waiting for
// another could leave every reader waiting for each other.
func (s *Store) directory(ctx context.Context, ids map[byte][]int64) (*directory, error) {
	c := &s.shared.taxa
	if !s.writable {
		if d := c.dir.Load(); d != nil && d.version == c.version.Load() && d.has(ids) {
			return d, nil
		}
	}
	if s.tx != nil {
		return s.readDirectory(ctx, ids)
	}
	d, err := s.refreshDirectory(ctx)
	if err != nil || d.has(ids) {
		return d, err
	}
	// A link names a row made by another process since the last poll of
	// the content generation.
	c.invalidate()
	return s.refreshDirectory(ctx)
}

// refreshDirectory reads the shared directory again from the pool unless
// it is current; s must not be in a transaction.
func (s *Store) refreshDirectory(ctx context.Context) (*directory, error) {
	c := &s.shared.taxa
	c.reading.Lock()
	defer c.reading.Unlock()
	version := c.version.Load() // before reading, so a change meanwhile is not missed
	if d := c.dir.Load(); d != nil && d.version == version {
		return d, nil // read by whoever held the lock before
	}
	d, err := s.readDirectory(ctx, nil)
	if err != nil {
		return nil, err
	}
	d.version = version
	c.dir.Store(d)
	return d, nil
}

// stale marks the shared directory stale and reads it again, from the
// goroutine that noticed the change, outside any transaction.
func (s *Store) stale(ctx context.Context) {
	s.shared.taxa.invalidate()
	pool := &Store{w: s.w, r: s.r, dialect: s.dialect, shared: s.shared}
	// A failure here is met again, and reported, by the next read.
	_, _ = pool.refreshDirectory(ctx)
}

func (d *directory) has(ids map[byte][]int64) bool {
	for kind, list := range ids {
		for _, id := range list {
			var ok bool
			switch kind {
			case 'c':
				_, ok = d.categories[id]
			case 's':
				_, ok = d.subjects[id]
			default:
				_, ok = d.contributors[id]
			}
			if !ok {
				return false
			}
		}
	}
	return true
}

func (c *taxaCache) invalidate() { c.version.Add(1) }

// readDirectory reads the categories, subjects and contributors with the
// ids given, or all of them if ids is nil, in one query.
func (s *Store) readDirectory(ctx context.Context, ids map[byte][]int64) (*directory, error) {
	parts := []string{
		`SELECT 'c', id, slug, name, '', description, '', FALSE FROM categories`,
		`SELECT 's', id, slug, name, hub_title, description, '', FALSE FROM subjects`,
		`SELECT 'p', id, slug, name, '', links, website, hidden FROM contributors`,
	}
	var args []any
	if ids != nil {
		for i, kind := range []byte{'c', 's', 'p'} {
			parts[i] += " WHERE id IN " + inList(max(1, len(ids[kind])))
			if len(ids[kind]) == 0 {
				args = append(args, 0) // no row has id 0
			}
			for _, id := range ids[kind] {
				args = append(args, id)
			}
		}
	}
	d := &directory{categories: map[int64]article.Category{}, subjects: map[int64]article.Subject{},
		contributors: map[int64]article.Contributor{}}
	var (
		kind                                       string
		id                                         int64
		slug, name, hubTitle, description, website string
		hidden                                     bool
	)
	err := s.each(ctx, strings.Join(parts, " UNION ALL "), args, func(rows *sql.Rows) error {
		if err := rows.Scan(&kind, &id, &slug, &name, &hubTitle, &description, &website, &hidden); err != nil {
			return err
		}
		switch kind {
		case "c":
			d.categories[id] = article.Category{ID: id, Slug: slug, Name: name, Description: description}
		case "s":
			d.subjects[id] = article.Subject{ID: id, Slug: slug, Name: name, HubTitle: hubTitle, Description: description}
		default:
			d.contributors[id] = article.Contributor{ID: id, Slug: slug, Name: name, Website: website,
				Links: splitLines(description), Hidden: hidden}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: read categories, subjects and contributors: %w", err)
	}
	return d, nil
}

// attachTaxonomy loads the categories, subjects and credits of several
// revisions: one query for the links, whatever their number, and the
// names from the directory.
func (s *Store) attachTaxonomy(ctx context.Context, revs []*article.Revision) error {
	if len(revs) == 0 {
		return nil
	}
	byID := make(map[int64]*article.Revision, len(revs))
	args := make([]any, 0, 3*len(revs))
	for _, r := range revs {
		byID[r.ID] = r
	}
	revIDs := slices.Sorted(maps.Keys(byID))
	for range 3 {
		for _, id := range revIDs {
			args = append(args, id)
		}
	}
	in := inList(len(revIDs))
	type link struct {
		kind       byte
		revisionID int64
		id         int64
		role       string
		position   int
	}
	var links []link
	need := map[byte][]int64{}
	var (
		l    link
		kind string
	)
	err := s.each(ctx, `SELECT 'c', revision_id, category_id, '', position FROM revision_categories WHERE revision_id IN `+in+`
		UNION ALL SELECT 's', revision_id, subject_id, '', position FROM revision_subjects WHERE revision_id IN `+in+`
		UNION ALL SELECT 'p', revision_id, contributor_id, role, position FROM revision_credits WHERE revision_id IN `+in+`
		ORDER BY 1, 2, 5`, args, func(rows *sql.Rows) error {
		if err := rows.Scan(&kind, &l.revisionID, &l.id, &l.role, &l.position); err != nil {
			return err
		}
		l.kind = kind[0]
		links = append(links, l)
		need[l.kind] = append(need[l.kind], l.id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: load the links of revisions: %w", err)
	}
	if len(links) == 0 {
		return nil
	}
	d, err := s.directory(ctx, need)
	if err != nil {
		return err
	}
	for _, l := range links {
		rev := byID[l.revisionID]
		switch l.kind {
		case 'c':
			rev.Categories = append(rev.Categories, d.categories[l.id])
		case 's':
			rev.Subjects = append(rev.Subjects, d.subjects[l.id])
		default:
			rev.Credits = append(rev.Credits, article.Credit{Role: article.Role(l.role), Contributor: d.contributors[l.id]})
		}
	}
	return nil
}
