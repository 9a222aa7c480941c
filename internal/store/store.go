// Package store keeps Quire's data through gorm, in SQLite (the embedded
// default) or PostgreSQL (for several instances sharing one database).
// Records stay in this package; callers get and give domain types.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/quire-cms/quire/internal/search"
)

// Store is Quire's database. Write transactions run one at a time, across
// every process sharing the database (how depends on the dialect), so the
// workflow's checks and changes never interleave; reads go through a pool
// of read-only connections.
type Store struct {
	w, r *gorm.DB
	db   dialect
	// inTx is set on the copy handed to Atomically's function, whose reads
	// must see its own uncommitted writes.
	inTx     bool
	watchers *watchers
}

// watchers are told after every committed write.
type watchers struct {
	mu  sync.RWMutex
	fns []func()
}

// AfterWrite registers fn to run after every committed write transaction,
// in the writer's goroutine, so that caches of what readers see can catch
// up before the writer's request is answered.
func (s *Store) AfterWrite(fn func()) {
	s.watchers.mu.Lock()
	defer s.watchers.mu.Unlock()
	s.watchers.fns = append(s.watchers.fns, fn)
}

func (s *Store) wrote() {
	if s.inTx {
		return // told once the outer transaction commits
	}
	s.watchers.mu.RLock()
	defer s.watchers.mu.RUnlock()
	for _, fn := range s.watchers.fns {
		fn()
	}
}

// dialect is what differs between SQLite and PostgreSQL.
type dialect interface {
	// migrations are the dialect's goose migrations, which share one
	// version sequence: version N means the same schema on both.
	migrations() (goose.Dialect, fs.FS, []goose.ProviderOption, error)
	// serialize makes a write transaction wait for every other one, in
	// any process, so that the workflow's check-then-change holds.
	serialize(tx *gorm.DB) error
	index(tx *gorm.DB, articleID int64, title, dek, body string) error
	unindex(tx *gorm.DB, articleID int64) error
	search(db *gorm.DB, q search.Query, limit, offset int) (ranked []int64, total int64, err error)
	mark(db *gorm.DB, q search.Query, ids []int64) ([]searchMark, error)
	sessions(db *sql.DB, cleanup time.Duration) SessionStore
	bulkLoad(w *gorm.DB) error
	backup(w *gorm.DB, path string) error
}

// Open opens the database at location: a postgres:// (or postgresql://)
// URL opens PostgreSQL, anything else is a SQLite file, created if needed.
// Errors never repeat a password.
func Open(ctx context.Context, location string) (*Store, error) {
	if IsPostgres(location) {
		return openPostgres(ctx, location)
	}
	return openSQLite(ctx, location)
}

func newStore(w, r *gorm.DB, d dialect) *Store {
	return &Store{w: w, r: r, db: d, watchers: &watchers{}}
}

// within is s as seen from inside the write transaction tx.
func (s *Store) within(tx *gorm.DB) *Store {
	return &Store{w: tx, r: tx, db: s.db, inTx: true, watchers: s.watchers}
}

func gormConfig(prepare bool) *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		PrepareStmt:            prepare,
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
	dialect, fsys, opts, err := s.db.migrations()
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
	if err := s.db.bulkLoad(s.w.WithContext(ctx)); err != nil {
		return fmt.Errorf("store: bulk load: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the database to path while Quire keeps
// serving. It refuses to overwrite an existing file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.db.backup(s.w.WithContext(ctx), path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// Atomically runs fn in one write transaction: either everything fn does
// through the Store it is given is saved, or nothing is. An error from any
// step must end fn with that error.
func (s *Store) Atomically(ctx context.Context, fn func(tx *Store) error) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.db.serialize(tx); err != nil {
			return err
		}
		// No savepoint per step: a long transaction would pay for each in
		// sub-journal writes. A failed step therefore must fail fn.
		tx = tx.Session(&gorm.Session{DisableNestedTransaction: true})
		return fn(s.within(tx))
	})
	if err == nil {
		s.wrote()
	}
	return err
}

// write runs fn in a write transaction (a savepoint inside Atomically).
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if !s.inTx {
			if err := s.db.serialize(tx); err != nil {
				return err
			}
		}
		return fn(tx)
	})
	if err == nil {
		s.wrote()
	}
	return err
}

func (s *Store) read(ctx context.Context) *gorm.DB {
	return s.r.WithContext(ctx)
}

// nullable maps a zero id to SQL NULL.
func nullable(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
