// Package db embeds Quire's versioned SQL migrations so that the binary
// carries its own schema. SQLite and PostgreSQL each have their own files,
// numbered in one sequence: version N is the same schema on both.
package db

import (
	"embed"
	"io/fs"
)

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
