// Package storetest opens a real, migrated database for a test: SQLite in
// the test's temporary folder, or, when QUIRE_TEST_POSTGRES names a
// PostgreSQL server, a new database on that server, dropped after the test.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/quire-cms/quire/internal/store"
)

// PostgresVar names the variable that runs the tests on PostgreSQL: a
// postgres:// URL of a server on which the user may create databases.
const PostgresVar = "QUIRE_TEST_POSTGRES"

// Postgres reports whether tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(PostgresVar) != "" }

// New returns a migrated store of its own, closed when the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	return Open(t, filepath.Join(t.TempDir(), "quire.db"))
}

// Open opens and migrates the database that Location gives for path,
// closed when the test ends. Opening one path twice opens one database.
func Open(t testing.TB, path string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, Location(t, path))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

var (
	mu        sync.Mutex
	databases = map[string]string{} // SQLite path → PostgreSQL URL
)

// Location is what to give store.Open, or a Quire process as
// QUIRE_DATABASE, for a test database: the SQLite file path itself, or the
// URL of a new, empty PostgreSQL database standing for it, the same for the
// same path.
func Location(t testing.TB, path string) string {
	t.Helper()
	server := os.Getenv(PostgresVar)
	if server == "" {
		return path
	}
	mu.Lock()
	defer mu.Unlock()
	if loc, ok := databases[path]; ok {
		return loc
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s is not a URL", PostgresVar)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("%s: %v", PostgresVar, err)
	}
	defer admin.Close()
	name := "quire_test_" + hex.EncodeToString(randomBytes(t))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database on %s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", server)
		if err != nil {
			return
		}
		defer admin.Close()
		// FORCE ends connections a test's child processes may have left.
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	databases[path] = u.String()
	return u.String()
}

func randomBytes(t testing.TB) []byte {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// Exec runs statements on the database at path behind Quire's back, as
// someone with the database's password could, for tests of what Quire
// notices.
func Exec(t testing.TB, path string, statements ...string) error {
	t.Helper()
	driver, loc := "sqlite3", path
	if Postgres() {
		driver, loc = "pgx", Location(t, path)
	}
	db, err := sql.Open(driver, loc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range statements {
		if _, err := db.Exec(s); err != nil {
			return err
		}
	}
	return nil
}
