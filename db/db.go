// Package db is Quire's database schema: the versioned SQL migrations the
// binary carries, and how a database location names its kind. SQLite and
// PostgreSQL each have their own migration files, numbered in one
// sequence: version N is the same schema on both.
package db

import (
	"embed"
	"io/fs"
	"strings"
)

// IsPostgres reports whether a database location (QUIRE_DATABASE) is a
// PostgreSQL URL; anything else is a SQLite file path. It is the one place
// that decides, for the configuration and the store alike.
func IsPostgres(location string) bool {
	scheme, _, ok := strings.Cut(location, "://")
	return ok && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql"))
}

//go:embed migrations
var migrations embed.FS

// SQLiteMigrations returns the goose migrations for the embedded SQLite database.
func SQLiteMigrations() fs.FS { return sub("migrations/sqlite") }

// PostgresMigrations returns the goose migrations for PostgreSQL.
func PostgresMigrations() fs.FS { return sub("migrations/postgres") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(migrations, dir)
	if err != nil {
		// The path is a constant inside this package's own embed, so this
		// only fails if the tree above is broken at build time.
		panic(err)
	}
	return f
}
