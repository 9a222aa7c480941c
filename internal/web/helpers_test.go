package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/demo"
	"github.com/quire-cms/quire/internal/hooks"
	"github.com/quire-cms/quire/internal/markup"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/reading"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
	"github.com/quire-cms/quire/internal/web"
	"github.com/quire-cms/quire/internal/workflow"
)

const (
	seedSlug = "trotskys-assassination-ends-stalins-opposition"
	baseURL  = "https://history.example"
)

// demoPublished is when the demo article goes live in these tests.
var demoPublished = time.Date(2026, 8, 20, 9, 30, 0, 0, time.UTC)

type env struct {
	srv    *httptest.Server
	web    *web.Server
	store  *store.Store
	pub    *publishing.Service
	read   *reading.Service
	access *access.Service
}

// newEnv serves Quire over real HTTP from a fresh database holding the
// demo, with the page cache on as in production. The test runs in
// parallel with others: it has a database of its own.
func newEnv(t *testing.T) env {
	t.Helper()
	t.Parallel()
	return newEnvWith(t, web.Config{BaseURL: baseURL, PageCacheBytes: 8 << 20})
}

// bothCaches runs a reader test with the page cache on and off: the cache
// is an optimisation only, and every page must be right either way.
func bothCaches(t *testing.T, test func(t *testing.T, e env)) {
	t.Parallel()
	for _, mode := range []struct {
		name  string
		bytes int64
	}{{"page cache on", 8 << 20}, {"page cache off", 0}} {
		t.Run(mode.name, func(t *testing.T) {
			test(t, newEnvWith(t, web.Config{BaseURL: baseURL, PageCacheBytes: mode.bytes}))
		})
	}
}

// newEnvWith is newEnv with the given configuration.
func newEnvWith(t testing.TB, cfg web.Config) env {
	t.Helper()
	st := storetest.New(t)
	e := env{store: st, pub: publishing.New(st, markup.New()), read: reading.New(st), access: access.New(st)}
	if _, err := demo.Load(context.Background(), e.pub, demoPublished); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if cfg.Renditions == nil {
		var err error
		if cfg.Renditions, err = media.OpenCache(t.TempDir(), 64<<20); err != nil {
			t.Fatal(err)
		}
	}
	sessions, err := st.Sessions(0)
	if err != nil {
		t.Fatal(err)
	}
	e.web = web.New(cfg, web.Services{DB: st, Publishing: e.pub, Reading: e.read, Access: e.access, Hooks: hooks.New(st)}, sessions, logger)
	e.srv = httptest.NewServer(e.web)
	t.Cleanup(e.srv.Close)
	return e
}

func (e env) get(t *testing.T, path string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// page fetches path, checks its status and parses it.
func (e env) page(t *testing.T, path string, status int) *goquery.Document {
	t.Helper()
	res := e.get(t, path)
	if res.StatusCode != status {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s = %d, want %d\n%s", path, res.StatusCode, status, body)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// text is the whitespace-normalized text of a selection.
func text(s *goquery.Selection) string {
	return strings.Join(strings.Fields(s.Text()), " ")
}

// saveUpdate saves a copy of the article's newest revision as a new one,
// by Quire itself.
func (e env) saveUpdate(t *testing.T, articleID int64, note string, edit ...func(*article.Draft)) article.Revision {
	t.Helper()
	ctx := t.Context()
	v, err := e.pub.View(ctx, articleID, article.DeskParts{HeadBody: true, Taxonomy: true})
	if err != nil {
		t.Fatal(err)
	}
	d := publishingtest.DraftOf(v.Head)
	d.ChangeNote = note
	for _, f := range edit {
		f(&d)
	}
	p, err := e.pub.Prepare(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := e.pub.Save(ctx, workflow.System, articleID, v.Head.Number, p)
	if err != nil {
		t.Fatal(err)
	}
	return saved.Revision
}

// publishUpdate saves a copy of the article's newest revision as a new one,
// with edit applied to it if given, has it approved by a reviewer and
// publishes it at at as ch.
func (e env) publishUpdate(t *testing.T, articleID int64, ch article.Change, at time.Time, edit ...func(*article.Draft)) article.Revision {
	t.Helper()
	ctx := t.Context()
	rev := e.saveUpdate(t, articleID, "Update of "+at.Format(time.RFC3339), edit...)
	reviewer := e.account(t, account.Reviewer, fmt.Sprintf("reviewer-%d-%d@hen.example", articleID, rev.Number))
	if err := e.pub.Submit(ctx, workflow.System, articleID, rev.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.pub.Review(ctx, workflow.Actor{ID: reviewer.ID, Role: reviewer.Role}, articleID, rev.ID, workflow.Approve, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pub.Publish(ctx, workflow.System, articleID, rev.ID, ch, at); err != nil {
		t.Fatal(err)
	}
	return rev
}

// create saves d as a new article's first draft, by Quire itself.
func (e env) create(t testing.TB, d article.Draft) (article.Article, article.Revision) {
	t.Helper()
	ctx := t.Context()
	p, err := e.pub.Prepare(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	a, rev, err := e.pub.Create(ctx, workflow.System, p)
	if err != nil {
		t.Fatal(err)
	}
	return a, rev
}

// publishNew creates an article from d, puts it through review (by Quire
// itself) and publishes it at at.
func (e env) publishNew(t testing.TB, d article.Draft, at time.Time) article.Article {
	t.Helper()
	ctx := t.Context()
	a, rev := e.create(t, d)
	if err := e.pub.Submit(ctx, workflow.System, a.ID, rev.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.pub.Review(ctx, workflow.System, a.ID, rev.ID, workflow.Approve, ""); err != nil {
		t.Fatal(err)
	}
	a, err := e.pub.Publish(ctx, workflow.System, a.ID, rev.ID, article.Change{}, at)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// seed returns the demo article as readers see it.
func (e env) seed(t testing.TB) article.Published {
	t.Helper()
	p, err := e.read.Article(t.Context(), seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
