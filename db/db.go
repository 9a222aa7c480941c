// Package db embeds Quire's versioned SQL migrations so that the binary
// carries its own schema.
package db

import (
	"embed"
	"io/fs"
)

//go:embed migrations
var migrations embed.FS

// SQLiteMigrations returns the goose migrations for the embedded SQLite database.
func SQLiteMigrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations/sqlite")
	if err != nil {
		// The path is a constant inside this package's own embed, so this
		// only fails if the tree above is broken at build time.
		panic(err)
	}
	return sub
}
