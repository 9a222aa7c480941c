package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/alexedwards/scs/sqlite3store"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"github.com/quire-cms/quire/db"
	"github.com/quire-cms/quire/internal/search"
)

// ErrNoFTS5 means the binary was built without the sqlite_fts5 build tag.
var ErrNoFTS5 = errors.New("store: this binary was built without SQLite FTS5; build and test with -tags sqlite_fts5 (see README)")

// sqliteDialect is the embedded default: one file, one writer connection
// whose IMMEDIATE transactions queue writers (and other processes on the
// same file) instead of failing with "database is locked".
type sqliteDialect struct {
	path string
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create database folder: %w", err)
		}
	}
	// synchronous=FULL: an acknowledged save survives a power cut. The
	// busy timeout covers checkpoints and other processes on the same file.
	// Statements are cached by the driver, per connection: gorm's own cache
	// binds a statement prepared in a transaction to that transaction and
	// prepares it again in the next, and the desk reads in transactions.
	common := "_foreign_keys=on&_busy_timeout=10000&_journal_mode=WAL&_synchronous=FULL&_stmt_cache_size=128"
	w, err := openLocked(ctx, path+"?"+common+"&_txlock=immediate&_cache_size=-32768")
	if err != nil {
		return nil, fmt.Errorf("store: open database: %w", err)
	}
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)

	if err := checkFTS5(ctx, w); err != nil {
		wdb.Close()
		return nil, err
	}
	r, err := openLocked(ctx, path+"?"+common+"&_query_only=true")
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("store: open database: %w", err)
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	rdb.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	return newStore(w, r, sqliteDialect{path: path}), nil
}

// openLocked opens a connection pool on dsn, trying again for as long as
// the busy timeout while another process holds the file: SQLite answers
// "database is locked" at once, without waiting, to a connection turning a
// new file to WAL while another process does the same, as instances
// starting together on one new database do.
func openLocked(ctx context.Context, dsn string) (*gorm.DB, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		g, err := gorm.Open(sqlite.Open(dsn), gormConfig())
		if err == nil || !strings.Contains(err.Error(), "database is locked") || time.Now().After(deadline) {
			return g, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func checkFTS5(ctx context.Context, w *gorm.DB) error {
	var used int
	if err := w.WithContext(ctx).Raw("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&used).Error; err != nil {
		return fmt.Errorf("store: check sqlite options: %w", err)
	}
	if used != 1 {
		return ErrNoFTS5
	}
	return nil
}

func (d sqliteDialect) migrations() (goose.Dialect, fs.FS, []goose.ProviderOption, error) {
	return goose.DialectSQLite3, db.SQLiteMigrations(), []goose.ProviderOption{goose.WithSessionLocker(fileLock{d.path}),
		goose.WithGoMigrations(moveBodies(d.placeholders))}, nil
}

// fileLock makes processes migrating one SQLite file take turns, as the
// advisory lock does on PostgreSQL: otherwise two that start together both
// see version 0 and the second fails on tables the first made. It is a
// flock(2) on the database's folder, never on the database file itself:
// closing any handle on that file would drop every POSIX lock the process
// holds on it, SQLite's included, and the next sqlite3 client to close
// the database would then delete the write-ahead log from under Quire.
type fileLock struct{ path string }

var heldLocks sync.Map // path → *os.File

func (l fileLock) SessionLock(ctx context.Context, _ *sql.Conn) error {
	f, err := os.Open(filepath.Dir(l.path))
	if err != nil {
		return err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			heldLocks.Store(l.path, f)
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return fmt.Errorf("lock %s for migration: %w", l.path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (l fileLock) SessionUnlock(context.Context, *sql.Conn) error {
	f, ok := heldLocks.LoadAndDelete(l.path)
	if !ok {
		return nil
	}
	// Closing the folder's handle releases the lock.
	return f.(*os.File).Close()
}

// serialize has nothing to do: BEGIN IMMEDIATE already took the file's
// write lock.
func (sqliteDialect) serialize(*gorm.DB) error { return nil }

func (sqliteDialect) index(tx *gorm.DB, articleID int64, title, dek, body string) error {
	if err := tx.Exec("DELETE FROM search_index WHERE rowid = ?", articleID).Error; err != nil {
		return err
	}
	return tx.Exec("INSERT INTO search_index (rowid, title, dek, body) VALUES (?, ?, ?, ?)", articleID, title, dek, body).Error
}

func (sqliteDialect) unindex(tx *gorm.DB, articleID int64) error {
	return tx.Exec("DELETE FROM search_index WHERE rowid = ?", articleID).Error
}

// search ranks with bm25 within the window. Article ids grow with time, and
// FTS5 walks rowids in order cheaply; separate queries keep SQLite from
// joining the ranking back to every match.
func (sqliteDialect) search(db *gorm.DB, q search.Query, limit, offset int) ([]int64, int64, error) {
	match := fts5(q)
	var total int64
	err := db.Raw(`SELECT COUNT(*) FROM (SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?)`,
		match, searchWindow+1).Scan(&total).Error
	if err != nil {
		return nil, 0, err
	}
	var ranked []int64
	err = db.Raw(`SELECT rowid FROM search_index
		WHERE search_index MATCH ? AND rowid >= COALESCE((SELECT rowid FROM search_index WHERE search_index MATCH ?
			ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0)
		ORDER BY bm25(search_index, 10.0, 4.0, 1.0), rowid DESC LIMIT ? OFFSET ?`,
		match, match, searchWindow-1, limit, offset).Scan(&ranked).Error
	return ranked, total, err
}

// fts5 writes the query in FTS5 syntax: each term a quoted string (a
// prefix term followed by *), all of them required. Terms are words only
// (search.Parse), so quoting cannot be broken.
func fts5(q search.Query) string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		if word, ok := search.Prefix(t); ok {
			parts[i] = `"` + word + `"*`
		} else {
			parts[i] = `"` + t + `"`
		}
	}
	return strings.Join(parts, " ")
}

func (sqliteDialect) mark(db *gorm.DB, q search.Query, ids []int64) ([]searchMark, error) {
	var marks []searchMark
	err := db.Raw(`SELECT rowid AS id, highlight(search_index, 0, ?, ?) AS marked, snippet(search_index, 2, ?, ?, '…', 32) AS snippet
		FROM search_index WHERE search_index MATCH ? AND rowid IN ?`,
		markStart, markEnd, markStart, markEnd, fts5(q), ids).Scan(&marks).Error
	return marks, err
}

func (sqliteDialect) placeholders(query string) string { return query }

func (sqliteDialect) sessions(db *sql.DB, cleanup time.Duration) SessionStore {
	return sqlite3store.NewWithCleanupInterval(db, cleanup)
}

// bulkLoad sets synchronous=OFF, and a large page cache that keeps the
// indexes being filled in memory instead of reading them back from the file
// at every insert.
func (sqliteDialect) bulkLoad(w *gorm.DB) error {
	for _, pragma := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -524288"} {
		if err := w.Exec(pragma).Error; err != nil {
			return err
		}
	}
	return nil
}

func (sqliteDialect) backup(w *gorm.DB, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", path)
	}
	return w.Exec("VACUUM INTO ?", path).Error
}
