// Package store keeps Quire's data through gorm, in SQLite (the embedded
// default) or PostgreSQL (for several instances sharing one database).
//
// It is persistence only: rows in, rows out, as domain types. It decides
// no policy and writes no words a person reads; the services above it
// (publishing, reading, access) run each use case in one transaction made
// of the row-level steps here. Records never leave this package.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/quire-cms/quire/db"
	"github.com/quire-cms/quire/internal/search"
)

// ErrNotFound is wrapped by every lookup that finds no row. The services
// say what was not found, in words that fit where it was looked for.
var ErrNotFound = errors.New("store: not found")

// errNoTransaction refuses a write step called outside Atomically: every
// change and its audit entry must be written in one transaction.
var errNoTransaction = errors.New("store: a write step was called outside Atomically")

// Store is Quire's database. Write transactions run one at a time, across
// every process sharing the database (how depends on the dialect), so a
// use case's checks and changes never interleave with another's; reads go
// through a pool of read-only connections.
//
// The Store handed to Atomically's or Read's function runs every step on
// that transaction.
type Store struct {
	w, r    *gorm.DB
	dialect dialect
	// tx is set inside Atomically and Read; writable is set inside
	// Atomically only.
	tx       *gorm.DB
	writable bool
	// bumped is set inside Atomically when the transaction moves the
	// content generation, and generation to the value it moved to.
	bumped     *bool
	generation *int64
	shared     *shared
}

// shared is what every copy of one opened Store has in common.
type shared struct {
	mu       sync.RWMutex
	watchers []func()
	// statements counts the SQL statements run through gorm.
	statements atomic.Int64
	taxa       taxaCache
	generation atomic.Int64 // as last read
}

// dialect is what differs between SQLite and PostgreSQL.
type dialect interface {
	// migrations are the dialect's goose migrations, which share one
	// version sequence: version N means the same schema on both.
	migrations() (goose.Dialect, fs.FS, []goose.ProviderOption, error)
	// serialize makes a write transaction wait for every other one, in
	// any process, so that a use case's check-then-change holds.
	serialize(tx *gorm.DB) error
	index(tx *gorm.DB, articleID int64, title, dek, body string) error
	unindex(tx *gorm.DB, articleID int64) error
	// search ranks live articles matching q within the search window and
	// counts the matches, up to the window and one more.
	search(db *gorm.DB, q search.Query, limit, offset int) (ranked []int64, total int64, err error)
	// mark returns the titles and snippets of ids with the matched words
	// between markStart and markEnd.
	mark(db *gorm.DB, q search.Query, ids []int64) ([]searchMark, error)
	// placeholders rewrites a query's ? placeholders into the driver's,
	// for queries run without gorm.
	placeholders(query string) string
	sessions(db *sql.DB, cleanup time.Duration) SessionStore
	bulkLoad(w *gorm.DB) error
	backup(w *gorm.DB, path string) error
}

// Open opens the database at location: a postgres:// (or postgresql://)
// URL opens PostgreSQL, anything else is a SQLite file, created if needed.
// Errors never repeat a password.
func Open(ctx context.Context, location string) (*Store, error) {
	if db.IsPostgres(location) {
		return openPostgres(ctx, location)
	}
	return openSQLite(ctx, location)
}

func newStore(w, r *gorm.DB, d dialect) *Store {
	s := &Store{w: w, r: r, dialect: d, shared: &shared{}}
	for _, g := range []*gorm.DB{w, r} {
		s.countStatements(g)
	}
	return s
}

// countStatements counts every statement gorm runs on g.
func (s *Store) countStatements(g *gorm.DB) {
	count := func(*gorm.DB) { s.shared.statements.Add(1) }
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("quire:count", count),
		cb.Query().After("gorm:query").Register("quire:count", count),
		cb.Update().After("gorm:update").Register("quire:count", count),
		cb.Delete().After("gorm:delete").Register("quire:count", count),
		cb.Row().After("gorm:row").Register("quire:count", count),
		cb.Raw().After("gorm:raw").Register("quire:count", count),
	} {
		if err != nil {
			panic("store: register statement counter: " + err.Error())
		}
	}
}

// Statements is how many SQL statements this database has run through
// its Store so far (the session store's own queries are not counted). The
// tests use it to hold each page to its budget of queries.
func (s *Store) Statements() int64 { return s.shared.statements.Load() }

// AfterWrite registers fn to run after every committed write transaction,
// in the writer's goroutine, so that caches of what readers see can catch
// up before the writer's request is answered.
func (s *Store) AfterWrite(fn func()) {
	s.shared.mu.Lock()
	defer s.shared.mu.Unlock()
	s.shared.watchers = append(s.shared.watchers, fn)
}

func (s *Store) wrote() {
	s.shared.mu.RLock()
	defer s.shared.mu.RUnlock()
	for _, fn := range s.shared.watchers {
		fn()
	}
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
	}
}

// Close closes every connection.
func (s *Store) Close() error {
	var errs []error
	for _, g := range []*gorm.DB{s.r, s.w} {
		if g == nil {
			continue
		}
		if sqlDB, err := g.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers reads.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.r.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the versions it applied. On PostgreSQL it holds an advisory lock
// meanwhile, so that instances starting together apply each version once.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	sqlDB, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	dialect, fsys, opts, err := s.dialect.migrations()
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, sqlDB, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: load migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	versions := make([]int64, 0, len(results))
	for _, r := range results {
		versions = append(versions, r.Source.Version)
	}
	return versions, nil
}

// ForBulkLoad makes this process's commits stop waiting for the disk. It is
// for filling a database that can be made again, such as a generated one:
// a crash may lose its last writes (and on SQLite, damage the file).
func (s *Store) ForBulkLoad(ctx context.Context) error {
	if err := s.dialect.bulkLoad(s.w.WithContext(ctx)); err != nil {
		return fmt.Errorf("store: bulk load: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the database to path while Quire keeps
// serving. It refuses to overwrite an existing file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.dialect.backup(s.w.WithContext(ctx), path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// Atomically runs fn in one write transaction: either everything fn does
// through the Store it is given is saved, or nothing is. Write transactions
// run one at a time. Called inside another Atomically, fn joins that
// transaction. An error from any step must end fn with that error.
func (s *Store) Atomically(ctx context.Context, fn func(tx *Store) error) error {
	if s.tx != nil {
		if !s.writable {
			return errors.New("store: Atomically inside a read transaction")
		}
		return fn(s)
	}
	var (
		bumped     bool
		generation int64
	)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.dialect.serialize(tx); err != nil {
			return err
		}
		// No savepoint per step: a long transaction would pay for each in
		// sub-journal writes. A failed step therefore must fail fn.
		tx = tx.Session(&gorm.Session{DisableNestedTransaction: true})
		return fn(&Store{w: s.w, r: s.r, dialect: s.dialect, tx: tx, writable: true, bumped: &bumped, generation: &generation,
			shared: s.shared})
	})
	if err == nil {
		if bumped {
			// Known here, the new generation is no news when the page
			// cache's watcher reads it.
			s.shared.generation.Store(generation)
			s.stale(context.WithoutCancel(ctx)) // committed: read the names even if the request has gone
		}
		s.wrote()
	}
	return err
}

// Read runs fn in one read transaction, so that everything a page shows is
// read at one moment, however many queries that takes. Inside Atomically it
// reads within the write transaction, seeing its own changes.
func (s *Store) Read(ctx context.Context, fn func(tx *Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	return s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{w: s.w, r: s.r, dialect: s.dialect, tx: tx, shared: s.shared})
	})
}

// read is where a step reads: the transaction it runs in, or the pool.
func (s *Store) read(ctx context.Context) *gorm.DB {
	if s.tx != nil {
		return s.tx.WithContext(ctx)
	}
	return s.r.WithContext(ctx)
}

// write is where a write step writes: only inside Atomically.
func (s *Store) write(ctx context.Context) (*gorm.DB, error) {
	if s.tx == nil || !s.writable {
		return nil, errNoTransaction
	}
	return s.tx.WithContext(ctx), nil
}

// exec runs one write statement inside Atomically.
func (s *Store) exec(ctx context.Context, query string, args ...any) error {
	w, err := s.write(ctx)
	if err != nil {
		return err
	}
	return w.Exec(query, args...).Error
}

// found wraps gorm's not-found as ErrNotFound, and says what was looked for.
func found(err error, what string, args ...any) error {
	if err == nil {
		return nil
	}
	what = fmt.Sprintf(what, args...)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// A parameter compared with a column in a query that joins tables is
// written as a cast. SQLite propagates a bare parameter through the join's
// terms and then prepares the statement again at every execution, with its
// column metadata (the desk's article read went from 9 to 65 µs, the
// reader's article from 9 to 38 µs); a cast keeps the cached statement as
// it is. PostgreSQL reads the casts as the types the values already have.
const (
	intParam  = "CAST(? AS BIGINT)"
	textParam = "CAST(? AS TEXT)"
)

// nullable maps a zero id to SQL NULL.
func nullable(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}

// nullTime maps a zero time to SQL NULL.
func nullTime(t time.Time) sql.NullTime {
	return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()}
}
