package store_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

func TestFTS5IsCompiledIn(t *testing.T) {
	t.Parallel()
	// Without -tags sqlite_fts5 the store refuses to open: search would
	// otherwise only fail at run time with "no such module: fts5".
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "q.db"))
	if errors.Is(err, store.ErrNoFTS5) {
		t.Fatal("SQLite was built without FTS5: run the tests with -tags sqlite_fts5, as README.md says")
	}
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

// TestInstancesStartingTogetherMigrateOnce: instances that start at once
// take turns under a lock (advisory on PostgreSQL, flock on a SQLite file's folder),
// and each version is applied by exactly one of them.
func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := storetest.Location(t, filepath.Join(t.TempDir(), "q.db"))
	const instances = 4
	applied := make([][]int64, instances)
	var wg sync.WaitGroup
	for i := range instances {
		wg.Go(func() {
			st, err := store.Open(ctx, loc)
			if err != nil {
				t.Error(err)
				return
			}
			defer st.Close()
			if applied[i], err = st.Migrate(ctx); err != nil {
				t.Errorf("instance %d: Migrate() = %v", i, err)
			}
		})
	}
	wg.Wait()
	seen := map[int64]int{}
	for _, versions := range applied {
		for _, v := range versions {
			seen[v]++
		}
	}
	if len(seen) == 0 {
		t.Fatal("no instance applied any migration")
	}
	for v, n := range seen {
		if n != 1 {
			t.Errorf("version %d applied %d times", v, n)
		}
	}
}

// TestOpenPostgresExplainsFailures: an operator's mistake in the database
// URL gets a message naming the server, user or database, and never the
// password.
func TestOpenPostgresExplainsFailures(t *testing.T) {
	t.Parallel()
	const password = "s3cret-never-shown"
	tests := []struct {
		name, url, want string
		server          bool
	}{
		{"nothing listening", "postgres://quire:" + password + "@127.0.0.1:1/hen?connect_timeout=5", "cannot reach PostgreSQL at 127.0.0.1:1", false},
		{"wrong password", "", `refused user "postgres"`, true},
		{"no such database", "", `has no database "quire_no_such_database"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.server {
				if !storetest.Postgres() {
					t.Skip("needs a PostgreSQL server; set " + storetest.PostgresVar)
				}
				u, err := url.Parse(os.Getenv(storetest.PostgresVar))
				if err != nil {
					t.Fatal(err)
				}
				switch tt.name {
				case "wrong password":
					u.User = url.UserPassword(u.User.Username(), password)
				default:
					u.Path = "/quire_no_such_database"
				}
				tt.url = u.String()
			}
			st, err := store.Open(context.Background(), tt.url)
			if err == nil {
				st.Close()
				t.Fatal("Open() succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open() error = %q, want it to say %q", err, tt.want)
			}
			if pw, _ := url.Parse(tt.url); pw != nil {
				if p, ok := pw.User.Password(); ok && strings.Contains(err.Error(), p) {
					t.Errorf("Open() error %q repeats the password", err)
				}
			}
		})
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.Location(t, filepath.Join(t.TempDir(), "q.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		t.Fatalf("first Migrate() error = %v", err)
	}
	if len(applied) == 0 {
		t.Fatal("first Migrate() applied nothing on an empty database")
	}
	again, err := st.Migrate(ctx)
	if err != nil {
		t.Fatalf("second Migrate() error = %v", err)
	}
	if len(again) != 0 {
		t.Errorf("second Migrate() applied %v, want nothing", again)
	}
}

func TestRevisionsAreImmutable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	st := e.Store
	_, rev := e.Create("Immutable")
	err := st.Atomically(ctx, func(tx *store.Store) error { return tx.TamperRevisionTitle(ctx, rev.ID, "changed") })
	if err == nil {
		t.Fatal("updating a revision's title succeeded; revisions must be immutable")
	}
	err = st.Atomically(ctx, func(tx *store.Store) error { return tx.TamperRevisionBody(ctx, rev.ID, "<p>changed</p>") })
	if err == nil {
		t.Fatal("updating a revision's body succeeded; revisions must be immutable")
	}
	for _, statement := range []string{
		"DELETE FROM revision_categories WHERE revision_id = ?",
		"UPDATE revision_categories SET position = position + 1 WHERE revision_id = ?",
		"DELETE FROM revision_subjects WHERE revision_id = ?",
		"UPDATE revision_subjects SET position = position + 1 WHERE revision_id = ?",
	} {
		err = st.Atomically(ctx, func(tx *store.Store) error { return tx.TamperRevisionLinks(ctx, statement, rev.ID) })
		if err == nil {
			t.Errorf("%s succeeded; revisions must be immutable", statement)
		}
	}
	got, err := st.RevisionByNumber(ctx, rev.ArticleID, rev.Number)
	if err != nil || got.Title != "Immutable" || got.BodyHTML != rev.BodyHTML {
		t.Errorf("revision after tampering = %q, %q, %v", got.Title, got.BodyHTML, err)
	}
}

func TestConcurrentWritesNeverLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	st := e.Store
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.Pub.SaveCategory(ctx, article.Category{Slug: "c" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Name: "C"})
			if err != nil {
				errs <- err
			}
			if _, _, err := st.ListLive(ctx, article.ListFilter{Limit: 5}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write failed: %v", err)
	}
}

// TestWriteStepsNeedATransaction: a row-level write called outside
// Atomically is refused, so that no change is ever written without the
// transaction that also writes its audit entry.
func TestWriteStepsNeedATransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.New(t)
	if err := st.BumpGeneration(ctx); err == nil {
		t.Error("BumpGeneration outside Atomically succeeded")
	}
	if _, err := st.InsertCategory(ctx, article.Category{Slug: "war", Name: "War"}); err == nil {
		t.Error("InsertCategory outside Atomically succeeded")
	}
	err := st.Read(ctx, func(tx *store.Store) error {
		_, err := tx.InsertCategory(ctx, article.Category{Slug: "war", Name: "War"})
		return err
	})
	if err == nil {
		t.Error("InsertCategory inside a read transaction succeeded")
	}
}

// TestReadSeesOneMoment: a read transaction sees the database as it was
// when it began, on PostgreSQL as on SQLite, whatever commits meanwhile.
func TestReadSeesOneMoment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.New(t)
	add := func() error {
		return st.Atomically(ctx, func(w *store.Store) error {
			_, err := w.InsertCategory(ctx, article.Category{Slug: "politics", Name: "Politics"})
			return err
		})
	}
	err := st.Read(ctx, func(tx *store.Store) error {
		before, err := tx.Categories(ctx)
		if err != nil {
			return err
		}
		if err := add(); err != nil {
			return err
		}
		after, err := tx.Categories(ctx)
		if err == nil && len(after) != len(before) {
			t.Errorf("within one read, the categories went from %d to %d", len(before), len(after))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if now, _ := st.Categories(ctx); len(now) != 1 {
		t.Error("the write did not happen")
	}
}

// TestSQLiteKeepsItsLockAfterMigrating: SQLite marks a database in use
// with POSIX locks, which a process loses, all of them, when it closes any
// handle on the file. Had migrating opened and closed one, the next sqlite3
// client to close the database would believe itself the last, delete the
// write-ahead log, and what Quire saved next would be lost at its next
// start. Linux shows a process's locks in /proc/locks.
func TestSQLiteKeepsItsLockAfterMigrating(t *testing.T) {
	if storetest.Postgres() {
		t.Skip("SQLite's own locking")
	}
	locks, err := os.ReadFile("/proc/locks")
	if err != nil {
		t.Skip("no /proc/locks here")
	}
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	st := storetest.Open(t, path)
	if _, err := st.Categories(ctx); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// A line of /proc/locks: "4: POSIX ADVISORY READ <pid> <dev>:<inode> <start> <end>".
	mine := " " + strconv.Itoa(os.Getpid()) + " "
	inode := ":" + strconv.FormatUint(fi.Sys().(*syscall.Stat_t).Ino, 10) + " "
	if locks, err = os.ReadFile("/proc/locks"); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(locks), "\n") {
		if strings.Contains(l, "POSIX") && strings.Contains(l, mine) && strings.Contains(l, inode) {
			return
		}
	}
	t.Errorf("after migrating, Quire holds no lock on %s; /proc/locks:\n%s", path, locks)
}

// Quire counts the unsealed rows whenever it opens the database, holding
// the write lock: through the partial indexes that hold only those rows,
// never by reading the tables (about 110 MB at 100,000 articles).
// PostgreSQL's planner picks by table statistics, so only SQLite's plan is
// fixed enough to check.
func TestCountingUnsealedRowsReadsNoTable(t *testing.T) {
	if storetest.Postgres() {
		t.Skip("PostgreSQL plans by statistics")
	}
	t.Parallel()
	st := storetest.Open(t, filepath.Join(t.TempDir(), "quire.db"))
	plan, err := st.UnsealedPlan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"INDEX publications_unsealed", "INDEX audit_events_unsealed"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
}

// Read transactions that find the directory stale read the names they
// need within themselves: were they to wait for another connection of the
// pool, as many of them as the pool has connections would wait forever.
func TestReadTransactionsNeverWaitForTheDirectory(t *testing.T) {
	t.Parallel()
	e := publishingtest.New(t)
	a, rev := e.Create("Held")
	e.Store.ForgetDirectory()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const readers = 32 // more than any pool's connections
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, readers)
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- e.Store.Read(ctx, func(tx *store.Store) error {
				<-start // every reader holds its connection before any reads
				revs, err := tx.RevisionsByID(ctx, []int64{rev.ID})
				if err == nil && (len(revs) != 1 || len(revs[0].Categories) != 1) {
					err = fmt.Errorf("article %d: revisions %+v", a.ID, revs)
				}
				return err
			})
		}()
	}
	time.Sleep(100 * time.Millisecond)
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Categories and subjects are found by slug in the shared directory: it
// follows renames made here at once, and those made by another process
// once the content generation is read; a slug it does not know is asked of
// the database.
func TestTaxaBySlugFollowEveryChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	e := publishingtest.On(t, storetest.Open(t, path))
	err := e.Store.Atomically(ctx, func(tx *store.Store) error { return tx.SaveNetwork(ctx, publisher.Default) })
	if err != nil {
		t.Fatal(err) // the row the content generation is kept in
	}
	other := storetest.Open(t, path) // another process on the same database
	if _, err := other.Generation(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := other.CategoryBySlug(ctx, "politics"); err != nil {
		t.Fatal(err) // its directory is read now
	}

	renamed := e.Category
	renamed.Slug, renamed.Name = "statecraft", "Statecraft"
	if _, err := e.Pub.SaveCategory(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	if c, err := e.Store.CategoryBySlug(ctx, "statecraft"); err != nil || c.ID != e.Category.ID || c.Name != "Statecraft" {
		t.Errorf("CategoryBySlug(statecraft) = %+v, %v", c, err)
	}
	// Read again, from the directory alone.
	before := e.Store.Statements()
	if c, err := e.Store.CategoryBySlug(ctx, "statecraft"); err != nil || c.Name != "Statecraft" || e.Store.Statements() != before {
		t.Errorf("CategoryBySlug(statecraft) again = %+v, %v, after %d statements", c, err, e.Store.Statements()-before)
	}
	if c, err := e.Store.CategoryBySlug(ctx, "politics"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CategoryBySlug(politics) after the rename = %+v, %v", c, err)
	}

	// The other process knows the new slug at once, from the database, and
	// forgets the old one when it reads the generation.
	if c, err := other.CategoryBySlug(ctx, "statecraft"); err != nil || c.Name != "Statecraft" {
		t.Errorf("the other process: CategoryBySlug(statecraft) = %+v, %v", c, err)
	}
	if _, err := other.Generation(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := other.CategoryBySlug(ctx, "politics"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the other process: CategoryBySlug(politics) after reading the generation = %+v, %v", c, err)
	}

	s, err := e.Pub.SaveSubject(ctx, article.Subject{Slug: "leon-trotsky", Name: "Leon Trotsky"})
	if err != nil {
		t.Fatal(err)
	}
	err = e.Store.Read(ctx, func(tx *store.Store) error {
		got, err := tx.SubjectBySlug(ctx, "leon-trotsky")
		if err == nil && got != s {
			err = fmt.Errorf("in a transaction: SubjectBySlug = %+v, want %+v", got, s)
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
	if got, err := other.SubjectBySlug(ctx, "leon-trotsky"); err != nil || got != s {
		t.Errorf("the other process: SubjectBySlug = %+v, %v; want %+v", got, err, s)
	}
}
