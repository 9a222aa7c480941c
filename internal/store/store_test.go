package store_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

func TestFTS5IsCompiledIn(t *testing.T) {
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
// take turns under a lock (advisory on PostgreSQL, flock on a SQLite file),
// and each version is applied by exactly one of them.
func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
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

// fixture creates a category, a subject and a prepared revision using them.
func fixture(t *testing.T, st *store.Store, title string) article.Revision {
	t.Helper()
	ctx := context.Background()
	cats, _ := st.Categories(ctx)
	var cat article.Category
	if len(cats) == 0 {
		var err error
		if cat, err = st.CreateCategory(ctx, article.Category{Slug: "politics", Name: "Politics"}); err != nil {
			t.Fatal(err)
		}
		if _, err = st.CreateSubject(ctx, article.Subject{Slug: "joseph-stalin", Name: "Joseph Stalin", HubTitle: "Life Moments of Joseph Stalin"}); err != nil {
			t.Fatal(err)
		}
	} else {
		cat = cats[0]
	}
	sub, err := st.SubjectBySlug(ctx, "joseph-stalin")
	if err != nil {
		t.Fatal(err)
	}
	rev, err := article.Prepare(article.Draft{
		Title: title, Body: "Some *body* text.", Attribution: "HEN", EventDate: "1940-08-20",
		CategoryIDs: []int64{cat.ID}, SubjectIDs: []int64{sub.ID},
	}, markup.New(), 200)
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func TestCreateAndPublish(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	a, rev, err := st.CreateArticle(ctx, 0, fixture(t, st, "Trotsky Assassinated"))
	if err != nil {
		t.Fatalf("CreateArticle() error = %v", err)
	}
	if rev.Number != 1 || a.HeadRevisionID != rev.ID || a.State != article.Never {
		t.Fatalf("created article %+v revision number %d", a, rev.Number)
	}

	if _, err := st.LiveArticle(ctx, a.Slug); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("never-published LiveArticle() error = %v, want not found", err)
	}
	if items, total, _ := st.ListLive(ctx, store.ListFilter{Limit: 10}); total != 0 || len(items) != 0 {
		t.Fatalf("never-published article is listed: %d", total)
	}

	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	w := newWorkflow(t, st)
	w.approve(a.ID, rev.ID)
	if _, err := st.Publish(ctx, w.editor, a.ID, rev.ID, false, at); err != nil {
		t.Fatalf("Publish() error = %v", err)
	}
	live, err := st.LiveArticle(ctx, a.Slug)
	if err != nil {
		t.Fatalf("LiveArticle() error = %v", err)
	}
	if !live.Article.PublishedAt.Equal(at) || !live.Article.UpdatedAt.Equal(at) {
		t.Errorf("dates = %v / %v, want %v", live.Article.PublishedAt, live.Article.UpdatedAt, at)
	}
	if live.Revision.Title != "Trotsky Assassinated" || len(live.Revision.Categories) != 1 || len(live.Revision.Subjects) != 1 {
		t.Errorf("live revision = %+v", live.Revision)
	}
	if got := live.Revision.EventDate.Format(article.DateLayout); got != "1940-08-20" {
		t.Errorf("event date = %s", got)
	}

	// A minor correction moves neither date; an update moves only Updated
	// and appears in the public update log with its change note.
	fix := w.saveApproved(a.ID, 1, "Typo fixed")
	if _, err := st.Publish(ctx, w.editor, a.ID, fix.ID, true, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	live, _ = st.LiveArticle(ctx, a.Slug)
	if !live.Article.UpdatedAt.Equal(at) || !live.Article.PublishedAt.Equal(at) || len(live.Updates) != 0 {
		t.Errorf("minor correction: dates %v / %v, updates %v", live.Article.PublishedAt, live.Article.UpdatedAt, live.Updates)
	}
	update := w.saveApproved(a.ID, 2, "Added the autopsy report")
	if _, err := st.Publish(ctx, w.editor, a.ID, update.ID, false, at.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	live, _ = st.LiveArticle(ctx, a.Slug)
	if !live.Article.UpdatedAt.Equal(at.Add(2*time.Hour)) || !live.Article.PublishedAt.Equal(at) {
		t.Errorf("update: dates %v / %v", live.Article.PublishedAt, live.Article.UpdatedAt)
	}
	if len(live.Updates) != 1 || live.Updates[0].Note != "Added the autopsy report" {
		t.Errorf("updates = %+v, want the one non-minor update", live.Updates)
	}
	pubs, err := st.Publications(ctx, a.ID)
	if err != nil || len(pubs) != 3 {
		t.Fatalf("Publications() = %v, %v", pubs, err)
	}
}

func TestPublishRefusesRevisionOfAnotherArticle(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	a, _, err := st.CreateArticle(ctx, 0, fixture(t, st, "First"))
	if err != nil {
		t.Fatal(err)
	}
	_, other, err := st.CreateArticle(ctx, 0, fixture(t, st, "Second"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Publish(ctx, 0, a.ID, other.ID, false, time.Now())
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("Publish() error = %v, want not found", err)
	}
	err = st.Submit(ctx, 0, a.ID, other.ID)
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("Submit() error = %v, want not found", err)
	}
}

func TestCreateArticleRefuses(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	if _, _, err := st.CreateArticle(ctx, 0, fixture(t, st, "Taken")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*article.Revision)
		field  string
	}{
		{"taken slug", func(r *article.Revision) {}, article.FieldSlug},
		{"unknown category", func(r *article.Revision) {
			r.Slug = "other"
			r.Categories = []article.Category{{ID: 999}}
		}, article.FieldCategories},
		{"unknown subject", func(r *article.Revision) {
			r.Slug = "another"
			r.Subjects = []article.Subject{{ID: 999}}
		}, article.FieldSubjects},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rev := fixture(t, st, "Taken")
			tt.change(&rev)
			_, _, err := st.CreateArticle(ctx, 0, rev)
			if apperr.CodeOf(err) != apperr.Invalid || apperr.FieldsOf(err)[tt.field] == "" {
				t.Errorf("CreateArticle() error = %v (fields %v), want a message for %s", err, apperr.FieldsOf(err), tt.field)
			}
		})
	}
	// Nothing half-made was left behind by the refused saves.
	items, _, _ := st.ListLive(ctx, store.ListFilter{Limit: 10})
	if len(items) != 0 {
		t.Errorf("refused saves left live articles: %d", len(items))
	}
}

func TestRevisionsAreImmutable(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	_, rev, err := st.CreateArticle(ctx, 0, fixture(t, st, "Immutable"))
	if err != nil {
		t.Fatal(err)
	}
	err = st.Atomically(ctx, func(tx *store.Store) error { return tx.TamperRevisionTitle(ctx, rev.ID, "changed") })
	if err == nil {
		t.Fatal("updating a revision's title succeeded; revisions must be immutable")
	}
	got, err := st.RevisionByNumber(ctx, rev.ArticleID, rev.Number)
	if err != nil || got.Title != "Immutable" {
		t.Errorf("revision after tampering = %q, %v", got.Title, err)
	}
}

func TestConcurrentWritesNeverLock(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := st.CreateCategory(ctx, article.Category{Slug: "c" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Name: "C"})
			if err != nil {
				errs <- err
			}
			if _, _, err := st.ListLive(ctx, store.ListFilter{Limit: 5}); err != nil {
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
