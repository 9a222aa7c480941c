package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/quire-cms/quire/db"
	"github.com/quire-cms/quire/internal/search"
)

// postgresDialect is for several Quire instances sharing one PostgreSQL
// database. Write transactions take one transaction-scoped advisory lock,
// so they run one at a time across every instance, as SQLite's do on one
// file: the workflow checks and changes in one transaction and must not
// race another instance doing the same.
type postgresDialect struct {
	// bulk makes every write transaction commit without waiting for the
	// disk (ForBulkLoad).
	bulk atomic.Bool
	// numbered maps a query with ? placeholders to its $1, $2… form.
	numbered sync.Map
}

// writeLock is the advisory lock key all write transactions share
// ("Quire" in ASCII).
const writeLock = 0x5175697265

func openPostgres(ctx context.Context, location string) (*Store, error) {
	u, err := url.Parse(location)
	if err != nil || u.Host == "" {
		// url's error repeats the URL, password and all.
		return nil, errors.New("store: the database address is not a valid postgres://user:password@host:port/database URL")
	}
	d := &postgresDialect{}
	w, err := openPool(ctx, u, nil)
	if err != nil {
		return nil, err
	}
	wdb, _ := w.DB()
	// Writes queue on the advisory lock; a few connections let sessions
	// and the scheduler's polls through meanwhile.
	wdb.SetMaxOpenConns(8)
	// Readers cannot write, whatever a bug may try; and a read transaction
	// sees one snapshot throughout, as on SQLite, not a new one at each
	// statement.
	r, err := openPool(ctx, u, map[string]string{"default_transaction_read_only": "on", "default_transaction_isolation": "repeatable read"})
	if err != nil {
		wdb.Close()
		return nil, err
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	rdb.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	return newStore(w, r, d), nil
}

// openPool connects with the URL's settings and the given server settings,
// and explains a failure without repeating the password.
func openPool(ctx context.Context, u *url.URL, settings map[string]string) (*gorm.DB, error) {
	withSettings := *u
	q := withSettings.Query()
	if q.Get("application_name") == "" {
		q.Set("application_name", "quire")
	}
	// Without it, a server that drops packets holds Quire's start for
	// the operating system's TCP timeout, minutes.
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "10")
	}
	for k, v := range settings {
		q.Set(k, v)
	}
	// pgx reads a "+" in a value as itself, not as a space.
	withSettings.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	cfg := gormConfig()
	cfg.DisableAutomaticPing = true // pinged below, within ctx
	g, err := gorm.Open(postgres.New(postgres.Config{DSN: withSettings.String()}), cfg)
	if err == nil {
		sqlDB, _ := g.DB()
		err = sqlDB.PingContext(ctx)
		if err != nil {
			sqlDB.Close()
		}
	}
	if err != nil {
		return nil, connectError(err, u)
	}
	return g, nil
}

// connectError says what went wrong reaching PostgreSQL in words an
// operator can act on, naming the server, user and database but never the
// password.
func connectError(err error, u *url.URL) error {
	where := u.Host
	user := u.User.Username()
	dbName := strings.TrimPrefix(u.Path, "/")
	var pgErr *pgconn.PgError
	var netErr net.Error
	var msg string
	switch {
	case errors.As(err, &pgErr) && (pgErr.Code == "28P01" || pgErr.Code == "28000"):
		msg = fmt.Sprintf("PostgreSQL at %s refused user %q (%s): check the user name and password in the database URL", where, user, pgErr.Message)
	case errors.As(err, &pgErr) && pgErr.Code == "3D000":
		msg = fmt.Sprintf("PostgreSQL at %s has no database %q: create it (createdb %s) or fix the database URL", where, dbName, dbName)
	case errors.As(err, &pgErr):
		msg = fmt.Sprintf("PostgreSQL at %s refused the connection: %s (SQLSTATE %s)", where, pgErr.Message, pgErr.Code)
	case errors.As(err, &netErr):
		msg = fmt.Sprintf("cannot reach PostgreSQL at %s: %v; is the server running and listening there?", where, netErr)
	default:
		msg = fmt.Sprintf("cannot connect to PostgreSQL at %s: %v", where, err)
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return errors.New("store: " + msg)
}

func (d *postgresDialect) migrations() (goose.Dialect, fs.FS, []goose.ProviderOption, error) {
	// Instances waiting for the lock look again every second, for five minutes.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return "", nil, nil, err
	}
	return goose.DialectPostgres, db.PostgresMigrations(), []goose.ProviderOption{goose.WithSessionLocker(locker),
		goose.WithGoMigrations(moveBodies(d.placeholders))}, nil
}

func (d *postgresDialect) serialize(tx *gorm.DB) error {
	if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", writeLock).Error; err != nil {
		return err
	}
	if d.bulk.Load() {
		return tx.Exec("SET LOCAL synchronous_commit = off").Error
	}
	return nil
}

// The index's document column weighs the title A, the dek B and the body D
// (see the migrations); ts_rank's weights, listed D, C, B, A, give them
// the 10 : 4 : 1 that bm25 gives them on SQLite.
const (
	tsConfig  = "english"
	tsWeights = "{0.1, 0.1, 0.4, 1.0}"
)

func (*postgresDialect) index(tx *gorm.DB, articleID int64, title, dek, body string) error {
	return tx.Exec(`INSERT INTO search_index (article_id, title, dek, body) VALUES (?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, dek = excluded.dek, body = excluded.body`,
		articleID, title, dek, body).Error
}

func (*postgresDialect) unindex(tx *gorm.DB, articleID int64) error {
	return tx.Exec("DELETE FROM search_index WHERE article_id = ?", articleID).Error
}

// search ranks the newest matches within the window, as on SQLite: the
// GIN index finds the matches and the primary key orders them.
func (*postgresDialect) search(db *gorm.DB, q search.Query, limit, offset int) ([]int64, int64, error) {
	tsq := tsquery(q)
	var total int64
	err := db.Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM search_index WHERE document @@ to_tsquery(?::regconfig, ?) LIMIT ?) m`,
		tsConfig, tsq, searchWindow+1).Scan(&total).Error
	if err != nil {
		return nil, 0, err
	}
	var ranked []int64
	err = db.Raw(`SELECT article_id FROM (
			SELECT article_id, document FROM search_index WHERE document @@ to_tsquery(?::regconfig, ?)
			ORDER BY article_id DESC LIMIT ?) m
		ORDER BY ts_rank(?::float4[], document, to_tsquery(?::regconfig, ?)) DESC, article_id DESC LIMIT ? OFFSET ?`,
		tsConfig, tsq, searchWindow, tsWeights, tsConfig, tsq, limit, offset).Scan(&ranked).Error
	return ranked, total, err
}

// tsquery writes the query in to_tsquery syntax: each term quoted (a
// prefix term followed by :*), all of them required. Terms are words only
// (search.Parse), so quoting cannot be broken.
func tsquery(q search.Query) string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		if word, ok := search.Prefix(t); ok {
			parts[i] = "'" + word + "':*"
		} else {
			parts[i] = "'" + t + "'"
		}
	}
	return strings.Join(parts, " & ")
}

func (*postgresDialect) mark(db *gorm.DB, q search.Query, ids []int64) ([]searchMark, error) {
	sel := "StartSel=" + markStart + ", StopSel=" + markEnd
	var marks []searchMark
	err := db.Raw(`SELECT article_id AS id,
			ts_headline(?::regconfig, title, to_tsquery(?::regconfig, ?), ?) AS marked,
			ts_headline(?::regconfig, body, to_tsquery(?::regconfig, ?), ?) AS snippet
		FROM search_index WHERE article_id IN ?`,
		tsConfig, tsConfig, tsquery(q), sel+", HighlightAll=true",
		tsConfig, tsConfig, tsquery(q), sel+", MaxWords=32, MinWords=12",
		ids).Scan(&marks).Error
	return marks, err
}

// placeholders numbers the ? of query outside quoted text. Short queries
// are numbered once; long ones, with many values in an IN list, are not
// kept.
func (d *postgresDialect) placeholders(query string) string {
	if q, ok := d.numbered.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	n := 0
	var quote rune // the quote being read, if any
	for _, r := range query {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	if len(query) < 2048 {
		d.numbered.Store(query, b.String())
	}
	return b.String()
}

func (*postgresDialect) sessions(db *sql.DB, cleanup time.Duration) SessionStore {
	return postgresstore.NewWithCleanupInterval(db, cleanup)
}

func (d *postgresDialect) bulkLoad(*gorm.DB) error {
	d.bulk.Store(true)
	return nil
}

func (*postgresDialect) backup(*gorm.DB, string) error {
	return errors.New("quire backup copies SQLite databases; on PostgreSQL use pg_dump (see README, \"Running on PostgreSQL\")")
}
