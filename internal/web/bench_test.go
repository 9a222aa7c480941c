package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/media/mediatest"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/web"
	"github.com/quire-cms/quire/internal/workflow"
)

// BenchmarkArticlePage serves the seed article over real HTTP, from the
// page cache and rendered afresh each time, to a client that takes gzip
// (browsers, crawlers) and to one that does not (the load script's wrk).
func BenchmarkArticlePage(b *testing.B) {
	for _, mode := range []struct {
		name  string
		bytes int64
		gzip  bool
	}{{"cache on", 8 << 20, false}, {"cache off", 0, false}, {"cache off, gzip", 0, true}} {
		b.Run(mode.name, func(b *testing.B) {
			e := newEnvWith(b, web.Config{BaseURL: baseURL, PageCacheBytes: mode.bytes})
			benchmarkGet(b, e, "/articles/"+seedSlug, mode.gzip)
		})
	}
}

// BenchmarkLeadImage serves the seed article with the page cache off, as
// it is and as a copy that differs only by a lead image, with its
// caption and credit, its social tags and its structured data.
func BenchmarkLeadImage(b *testing.B) {
	e := newEnvWith(b, web.Config{BaseURL: baseURL, PageCacheBytes: 0})
	it, _, err := e.pub.UploadMedia(b.Context(), workflow.System, publishing.Upload{Data: mediatest.JPEG(1600, 1000),
		Details: media.Details{Alt: "A desk by a window", Caption: "The study.", Credit: "Photo: Archive", Licence: "Public domain", FocusX: 50, FocusY: 50}})
	if err != nil {
		b.Fatal(err)
	}
	seed := e.seed(b)
	v, err := e.pub.View(b.Context(), seed.Article.ID, article.DeskParts{HeadBody: true, Taxonomy: true})
	if err != nil {
		b.Fatal(err)
	}
	d := publishingtest.DraftOf(v.Head)
	d.Slug = "with-a-lead-image"
	d.LeadImage = strconv.FormatInt(it.ID, 10)
	e.publishNew(b, d, time.Now())
	for _, p := range []struct{ name, path string }{{"without", "/articles/" + seedSlug}, {"with", "/articles/with-a-lead-image"}} {
		b.Run(p.name, func(b *testing.B) { benchmarkGet(b, e, p.path, false) })
	}
}

// BenchmarkRendition serves a cached rendition, as a page's images are
// asked for after the first reader.
func BenchmarkRendition(b *testing.B) {
	e := newEnvWith(b, web.Config{BaseURL: baseURL, PageCacheBytes: 0})
	it, _, err := e.pub.UploadMedia(b.Context(), workflow.System, publishing.Upload{Data: mediatest.JPEG(1600, 1000),
		Details: media.Details{Alt: "A desk by a window", FocusX: 50, FocusY: 50}})
	if err != nil {
		b.Fatal(err)
	}
	path := it.URL(media.Scaled(640, media.OutWebP))
	if res, err := http.Get(e.srv.URL + path); err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %v", path, err)
	}
	benchmarkGet(b, e, path, false)
}

// BenchmarkListings serves the reader's listings with the page cache off:
// each request reads the database and renders.
func BenchmarkListings(b *testing.B) {
	e := newEnvWith(b, web.Config{BaseURL: baseURL, PageCacheBytes: 0})
	seed := e.seed(b)
	for _, p := range []struct{ name, path string }{
		{"home", "/"},
		{"category", "/categories/" + seed.Revision.Categories[0].Slug},
		{"subject", "/subjects/" + seed.Revision.Subjects[0].Slug},
		{"search", "/search?q=stalin"},
	} {
		b.Run(p.name, func(b *testing.B) { benchmarkGet(b, e, p.path, false) })
	}
}

// benchmarkGet fetches path in parallel until the benchmark ends.
func benchmarkGet(b *testing.B, e env, path string, gzip bool) {
	client := &http.Client{Transport: &http.Transport{DisableCompression: !gzip, MaxIdleConnsPerHost: 64}}
	b.Cleanup(client.CloseIdleConnections)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := client.Get(e.srv.URL + path)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
}

// BenchmarkDeskPages serves the desk's busiest pages to a logged-in
// reviewer over real HTTP; the desk is never cached.
func BenchmarkDeskPages(b *testing.B) {
	e := newEnvWith(b, web.Config{BaseURL: baseURL})
	a, err := e.access.Create(b.Context(), 0, account.New{Email: "rita@hen.example", Name: "Rita", Role: string(account.Reviewer), Password: testPassword})
	if err != nil {
		b.Fatal(err)
	}
	c := e.client(b)
	if res := c.login(a.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		b.Fatalf("login = %d", res.StatusCode)
	}
	for _, p := range []struct{ name, path string }{
		{"dashboard", "/desk"}, {"overview", "/desk/articles/1"}, {"history", "/desk/articles/1/history"},
		{"edit", "/desk/articles/1/edit"}, {"review", "/desk/articles/1/review"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				res, err := c.http.Get(e.srv.URL + p.path)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
}

// BenchmarkArticleCredits renders, with the page cache off, the seed
// article's text published twice: crediting five people, and no one. The
// credits are read in the query that reads categories and subjects, so
// the two should cost about the same.
func BenchmarkArticleCredits(b *testing.B) {
	e := newEnvWith(b, web.Config{BaseURL: baseURL, PageCacheBytes: 0})
	ctx := b.Context()
	seed, err := e.store.Revision(ctx, e.seed(b).Revision.ID)
	if err != nil {
		b.Fatal(err)
	}
	d := publishingtest.DraftOf(seed)
	d.Slug = "uncredited"
	e.publishNew(b, d, time.Now())
	d.Slug = "credited"
	roles := []article.Role{article.WrittenBy, article.WrittenBy, article.Research, article.FactCheck, article.Translation}
	for i, role := range roles {
		c, err := e.pub.SaveContributor(ctx, workflow.System, article.Contributor{Name: "Contributor " + string(rune('A'+i)),
			Bio: "A historian.", Website: "https://people.example/" + strconv.Itoa(i), Links: []string{"https://orcid.org/" + strconv.Itoa(i)}})
		if err != nil {
			b.Fatal(err)
		}
		d.Credits = append(d.Credits, article.CreditInput{ContributorID: strconv.FormatInt(c.ID, 10), Role: string(role)})
	}
	e.publishNew(b, d, time.Now())
	client := e.srv.Client()
	for _, slug := range []string{"uncredited", "credited"} {
		b.Run(slug, func(b *testing.B) {
			for b.Loop() {
				res, err := client.Get(e.srv.URL + "/articles/" + slug)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
}

// BenchmarkCacheHit is the handler's own work for a page cache hit (an
// API article here), without the network: what is left once net/http has
// parsed the request.
func BenchmarkCacheHit(b *testing.B) {
	e := newEnvWith(b, web.Config{BaseURL: baseURL, PageCacheBytes: 8 << 20})
	h := e.srv.Config.Handler
	req := httptest.NewRequest(http.MethodGet, "/api/v1/articles/"+seedSlug, nil)
	h.ServeHTTP(httptest.NewRecorder(), req)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&nowhere{h: http.Header{}}, req)
	}
}

// nowhere is a ResponseWriter that keeps nothing.
type nowhere struct{ h http.Header }

func (n *nowhere) Header() http.Header         { return n.h }
func (n *nowhere) Write(p []byte) (int, error) { return len(p), nil }
func (n *nowhere) WriteHeader(int)             {}
