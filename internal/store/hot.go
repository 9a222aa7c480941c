package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	// The pool itself, not a gorm session on it: WithContext clones a
	// Statement on every call, which the hot reads have no use for.
	pool := s.r.Statement.ConnPool
	if s.tx != nil {
		pool = s.tx.Statement.ConnPool
	}
	return pool.QueryContext(ctx, s.dialect.placeholders(q), args...)
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
	loaded       time.Time
	categories   map[int64]article.Category
	subjects     map[int64]article.Subject
	contributors map[int64]article.Contributor
	// bySlug finds a category ('c') or subject ('s') by its slug.
	bySlug map[byte]map[string]int64
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
	// the content generation: all names are read again, at most once a
	// second, and meanwhile the ones asked for.
	if time.Since(d.loaded) > time.Second {
		c.invalidate()
		if d, err = s.refreshDirectory(ctx); err != nil || d.has(ids) {
			return d, err
		}
	}
	return s.readDirectory(ctx, ids)
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
	d.version, d.loaded = version, time.Now()
	c.dir.Store(d)
	return d, nil
}

// sharedSlug finds the id of the category ('c') or subject ('s') at slug
// in the shared directory, read again first if stale. Inside a transaction,
// or for a slug it does not know (made by another process since the last
// poll), the caller asks the database.
func (s *Store) sharedSlug(ctx context.Context, kind byte, slug string) (*directory, int64, bool, error) {
	if s.tx != nil {
		return nil, 0, false, nil
	}
	c := &s.shared.taxa
	d := c.dir.Load()
	if d == nil || d.version != c.version.Load() {
		var err error
		if d, err = s.refreshDirectory(ctx); err != nil {
			return nil, 0, false, err
		}
	}
	id, ok := d.bySlug[kind][slug]
	return d, id, ok, nil
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
		contributors: map[int64]article.Contributor{}, bySlug: map[byte]map[string]int64{'c': {}, 's': {}}}
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
			d.bySlug['c'][slug] = id
		case "s":
			d.subjects[id] = article.Subject{ID: id, Slug: slug, Name: name, HubTitle: hubTitle, Description: description}
			d.bySlug['s'][slug] = id
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

// A revision's links (its categories, subjects and credits, in order) are
// kept twice: as rows of revision_categories, revision_subjects and
// revision_credits, which the listings by category, subject and
// contributor read, and as one column of the revision, so that a page
// showing revisions names them without another query. Revisions never
// change, so the two never disagree. The column reads
// "c3 c5 s12 p7:written_by p9:research".

type link struct {
	kind byte // 'c', 's' or 'p'
	id   int64
	role string // a credit's
}

// formatLinks writes the links column.
func formatLinks(categories, subjects []int64, credits []article.Credit) string {
	var b strings.Builder
	add := func(kind byte, id int64, role string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(kind)
		b.WriteString(strconv.FormatInt(id, 10))
		if role != "" {
			b.WriteString(":" + role)
		}
	}
	for _, id := range categories {
		add('c', id, "")
	}
	for _, id := range subjects {
		add('s', id, "")
	}
	for _, c := range credits {
		add('p', c.Contributor.ID, string(c.Role))
	}
	return b.String()
}

func parseLinks(s string) ([]link, error) {
	var out []link
	for _, f := range strings.Fields(s) {
		l := link{kind: f[0]}
		id, role, _ := strings.Cut(f[1:], ":")
		var err error
		if l.id, err = strconv.ParseInt(id, 10, 64); err != nil || (l.kind != 'c' && l.kind != 's' && l.kind != 'p') {
			return nil, fmt.Errorf("store: a revision's links do not read: %q", s)
		}
		l.role = role
		out = append(out, l)
	}
	return out, nil
}

// attachTaxonomy names the categories, subjects and credits of revisions
// from their links columns (links[i] is revs[i]'s), with no query while
// the directory is current.
func (s *Store) attachTaxonomy(ctx context.Context, revs []*article.Revision, links []string) error {
	parsed := make([][]link, len(revs))
	need := map[byte][]int64{}
	for i := range revs {
		var err error
		if parsed[i], err = parseLinks(links[i]); err != nil {
			return err
		}
		for _, l := range parsed[i] {
			need[l.kind] = append(need[l.kind], l.id)
		}
	}
	if len(need) == 0 {
		return nil
	}
	d, err := s.directory(ctx, need)
	if err != nil {
		return err
	}
	for i, rev := range revs {
		for _, l := range parsed[i] {
			// A name not found (a damaged database: the link tables'
			// foreign keys vouch for every id) still keeps its id.
			switch l.kind {
			case 'c':
				c, ok := d.categories[l.id]
				if !ok {
					c.ID = l.id
				}
				rev.Categories = append(rev.Categories, c)
			case 's':
				sub, ok := d.subjects[l.id]
				if !ok {
					sub.ID = l.id
				}
				rev.Subjects = append(rev.Subjects, sub)
			default:
				p, ok := d.contributors[l.id]
				if !ok {
					p.ID = l.id
				}
				rev.Credits = append(rev.Credits, article.Credit{Role: article.Role(l.role), Contributor: p})
			}
		}
	}
	return nil
}
