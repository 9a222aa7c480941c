// Package store keeps Quire's data in SQLite through gorm. Records stay in
// this package; callers get and give domain types.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/quire-cms/quire/db"
)

// Store is Quire's database. Writes go through one connection in BEGIN
// IMMEDIATE transactions, so concurrent writers queue instead of failing
// with "database is locked"; reads go through a pool of read-only connections.
type Store struct {
	w, r *gorm.DB
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

// ErrNoFTS5 means the binary was built without the sqlite_fts5 build tag.
var ErrNoFTS5 = errors.New("store: this binary was built without SQLite FTS5; build and test with -tags sqlite_fts5 (see README)")

// Open opens (creating if needed) the SQLite database at path.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create database folder: %w", err)
		}
	}
	// synchronous=FULL: an acknowledged save survives a power cut. The
	// busy timeout covers checkpoints and other processes on the same file.
	common := "_foreign_keys=on&_busy_timeout=10000&_journal_mode=WAL&_synchronous=FULL"
	// Writes run in transactions, where gorm's statement cache would bind
	// each statement to one transaction and prepare it again in the next:
	// the writer prepares per statement instead.
	w, err := openGorm(path+"?"+common+"&_txlock=immediate&_cache_size=-32768", false)
	if err != nil {
		return nil, err
	}
	s := &Store{w: w, watchers: &watchers{}}
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)

	if err := s.checkFTS5(ctx); err != nil {
		wdb.Close()
		return nil, err
	}
	r, err := openGorm(path+"?"+common+"&_query_only=true", true)
	if err != nil {
		wdb.Close()
		return nil, err
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	rdb.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	s.r = r
	return s, nil
}

func openGorm(dsn string, prepare bool) (*gorm.DB, error) {
	g, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		PrepareStmt:            prepare,
	})
	if err != nil {
		return nil, fmt.Errorf("store: open database: %w", err)
	}
	return g, nil
}

func (s *Store) checkFTS5(ctx context.Context) error {
	var used int
	if err := s.w.WithContext(ctx).Raw("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&used).Error; err != nil {
		return fmt.Errorf("store: check sqlite options: %w", err)
	}
	if used != 1 {
		return ErrNoFTS5
	}
	return nil
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
// returns the versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	sqlDB, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, sqlDB, db.SQLiteMigrations())
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

// ForBulkLoad makes this process's writes stop waiting for the disk at each
// commit (synchronous=OFF). It is for filling a database that can be made
// again, such as a generated one: a power cut may then lose or damage it.
func (s *Store) ForBulkLoad(ctx context.Context) error {
	// A large page cache keeps the indexes being filled in memory instead of
	// reading them back from the file at every insert.
	for _, pragma := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -524288"} {
		if err := s.w.WithContext(ctx).Exec(pragma).Error; err != nil {
			return fmt.Errorf("store: bulk load: %w", err)
		}
	}
	return nil
}

// Atomically runs fn in one write transaction: either everything fn does
// through the Store it is given is saved, or nothing is. An error from any
// step must end fn with that error.
func (s *Store) Atomically(ctx context.Context, fn func(tx *Store) error) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// No savepoint per step: a long transaction would pay for each in
		// sub-journal writes. A failed step therefore must fail fn.
		tx = tx.Session(&gorm.Session{DisableNestedTransaction: true})
		return fn(&Store{w: tx, r: tx, inTx: true, watchers: s.watchers})
	})
	if err == nil {
		s.wrote()
	}
	return err
}

// write runs fn in a write transaction (a savepoint inside Atomically).
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.w.WithContext(ctx).Transaction(fn)
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

// Backup writes a consistent copy of the database to path while Quire keeps
// serving. It refuses to overwrite an existing file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists; choose a new file name", path)
	}
	if err := s.w.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}
