package web_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/web"
	"github.com/quire-cms/quire/internal/workflow"
)

func TestArticlePageHasEverySeedElementInOrder(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		doc := e.page(t, "/articles/"+seedSlug, http.StatusOK)
		story := doc.Find(`[data-testid="article"]`)

		// The seed's order: title, categories, attribution, dates, reading
		// time, body, primary reference, subject hubs.
		var order []string
		story.Find("[data-testid]").Each(func(_ int, s *goquery.Selection) {
			order = append(order, s.AttrOr("data-testid", ""))
		})
		want := []string{"title", "categories", "attribution", "dates", "reading-time", "body", "reference", "explore"}
		if strings.Join(order, ",") != strings.Join(want, ",") {
			t.Fatalf("elements in order %v, want %v", order, want)
		}

		checks := []struct{ name, got, want string }{
			{"title", text(story.Find("h1")), "Trotsky's Assassination Ends Stalin's Opposition"},
			{"categories", text(story.Find(`[data-testid="categories"]`)), "Politics | Biography"},
			{"attribution", text(story.Find(`[data-testid="attribution"]`)), "Updated By: History Editorial Network (HEN)"},
			{"dates", text(story.Find(`[data-testid="dates"]`)), "Published: August 20, 2026 | Updated: August 20, 2026"},
			{"reading time", text(story.Find(`[data-testid="reading-time"]`)), "4 min read"},
			{"reference", text(story.Find(`[data-testid="reference"]`)), "Primary Reference: Assassination of Leon Trotsky"},
			{"explore", text(story.Find(`[data-testid="explore"]`)), "Explore the Life Moments of Joseph Stalin | Explore the Life Moments of Leon Trotsky"},
			{"reference link", story.Find(`[data-testid="reference"] a`).AttrOr("href", ""), "https://en.wikipedia.org/wiki/Assassination_of_Leon_Trotsky"},
			{"first category link", story.Find(`[data-testid="categories"] a`).First().AttrOr("href", ""), "/categories/politics"},
			{"first hub link", story.Find(`[data-testid="explore"] a`).First().AttrOr("href", ""), "/subjects/joseph-stalin"},
			{"published datetime", story.Find(`[data-testid="dates"] time`).Eq(0).AttrOr("datetime", ""), "2026-08-20T09:30:00Z"},
			{"updated datetime", story.Find(`[data-testid="dates"] time`).Eq(1).AttrOr("datetime", ""), "2026-08-20T09:30:00Z"},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
			}
		}
		paras := story.Find(`[data-testid="body"] p`)
		if paras.Length() != 2 || !strings.HasPrefix(text(paras.Eq(0)), "Leon Trotsky, a key figure in the Russian Revolution") ||
			!strings.HasPrefix(text(paras.Eq(1)), "The impact of Trotsky’s assassination") {
			t.Errorf("body paragraphs = %d: %q", paras.Length(), text(paras))
		}
	})
}

func TestArticlePageMetadata(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		doc := e.page(t, "/articles/"+seedSlug, http.StatusOK)
		canonical := baseURL + "/articles/" + seedSlug
		head := []struct{ selector, attr, want string }{
			{`link[rel="canonical"]`, "href", canonical},
			{`meta[property="og:url"]`, "content", canonical},
			{`meta[property="og:type"]`, "content", "article"},
			{`meta[property="og:title"]`, "content", "Trotsky's Assassination Ends Stalin's Opposition · History Editorial Network"},
			{`meta[property="og:site_name"]`, "content", "History Editorial Network"},
			{`meta[property="article:published_time"]`, "content", "2026-08-20T09:30:00Z"},
			{`html`, "lang", "en"},
		}
		for _, h := range head {
			if got := doc.Find(h.selector).AttrOr(h.attr, ""); got != h.want {
				t.Errorf("%s %s = %q, want %q", h.selector, h.attr, got, h.want)
			}
		}
		if desc := doc.Find(`meta[name="description"]`).AttrOr("content", ""); !strings.HasPrefix(desc, "Leon Trotsky, a key figure") {
			t.Errorf("description = %q", desc)
		}
		if n := doc.Find("h1").Length(); n != 1 {
			t.Errorf("%d h1 elements, want 1", n)
		}

		var ld struct {
			Type          string                      `json:"@type"`
			Headline      string                      `json:"headline"`
			DatePublished string                      `json:"datePublished"`
			DateModified  string                      `json:"dateModified"`
			Author        struct{ Type, Name string } `json:"author"`
			Publisher     struct {
				Type string `json:"@type"`
				Name string `json:"name"`
			} `json:"publisher"`
			Citation struct{ Name, URL string } `json:"citation"`
		}
		scripts := doc.Find(`script[type="application/ld+json"]`)
		if scripts.Length() != 2 {
			t.Fatalf("JSON-LD documents = %d, want NewsArticle and BreadcrumbList", scripts.Length())
		}
		var crumbs struct {
			Type  string `json:"@type"`
			Items []struct {
				Name string `json:"name"`
				Item string `json:"item"`
			} `json:"itemListElement"`
		}
		if err := json.Unmarshal([]byte(scripts.Eq(1).Text()), &crumbs); err != nil || crumbs.Type != "BreadcrumbList" || len(crumbs.Items) != 3 ||
			crumbs.Items[1].Item != baseURL+"/categories/politics" {
			t.Errorf("BreadcrumbList = %+v, %v", crumbs, err)
		}
		raw := scripts.First().Text()
		if err := json.Unmarshal([]byte(raw), &ld); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, raw)
		}
		if ld.Type != "NewsArticle" || ld.Headline != "Trotsky's Assassination Ends Stalin's Opposition" {
			t.Errorf("JSON-LD type/headline = %q / %q", ld.Type, ld.Headline)
		}
		if ld.DatePublished != "2026-08-20T09:30:00Z" || ld.DateModified != "2026-08-20T09:30:00Z" {
			t.Errorf("JSON-LD dates = %s / %s", ld.DatePublished, ld.DateModified)
		}
		if ld.Publisher.Type != "Organization" || ld.Publisher.Name != "History Editorial Network" || ld.Author.Name != "History Editorial Network" {
			t.Errorf("JSON-LD publisher/author = %+v / %+v", ld.Publisher, ld.Author)
		}
		if ld.Citation.URL != "https://en.wikipedia.org/wiki/Assassination_of_Leon_Trotsky" {
			t.Errorf("JSON-LD citation = %+v", ld.Citation)
		}
	})
}

func TestUpdatedMovesAndPublishedStays(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		e.publishUpdate(t, e.seed(t).Article.ID, article.Change{}, demoPublished.Add(72*time.Hour))
		doc := e.page(t, "/articles/"+seedSlug, http.StatusOK)
		if got := text(doc.Find(`[data-testid="dates"]`)); got != "Published: August 20, 2026 | Updated: August 23, 2026" {
			t.Errorf("dates = %q", got)
		}
	})
}

func TestReaderCannotSeeUnpublishedOrDraftArticles(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		e.create(t, article.Draft{Title: "A Secret Draft", Body: "Not yet.", Attribution: "HEN"})
		e.page(t, "/articles/a-secret-draft", http.StatusNotFound)
		if home := e.page(t, "/", http.StatusOK); strings.Contains(home.Text(), "A Secret Draft") {
			t.Error("home page lists a draft")
		}

		if err := e.pub.Unpublish(t.Context(), workflow.System, e.seed(t).Article.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		gone := e.page(t, "/articles/"+seedSlug, http.StatusGone)
		if !strings.Contains(text(gone.Find("h1")), "withdrawn") {
			t.Errorf("410 page heading = %q", text(gone.Find("h1")))
		}
		for _, path := range []string{"/", "/categories/politics", "/subjects/joseph-stalin"} {
			if strings.Contains(e.page(t, path, http.StatusOK).Text(), "Trotsky's Assassination") {
				t.Errorf("%s still lists the unpublished article", path)
			}
		}
	})
}

func TestListings(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		tests := []struct {
			path, heading string
		}{
			{"/", "Latest from History Editorial Network"},
			{"/categories/politics", "Politics"},
			{"/categories/biography", "Biography"},
			{"/subjects/joseph-stalin", "Life Moments of Joseph Stalin"},
			{"/subjects/leon-trotsky", "Life Moments of Leon Trotsky"},
		}
		for _, tt := range tests {
			t.Run(tt.path, func(t *testing.T) {
				doc := e.page(t, tt.path, http.StatusOK)
				if got := text(doc.Find("h1")); got != tt.heading {
					t.Errorf("h1 = %q, want %q", got, tt.heading)
				}
				link := doc.Find(`main a[href="/articles/` + seedSlug + `"]`)
				if link.Length() != 1 {
					t.Errorf("listing does not link the seed article once (%d links)", link.Length())
				}
			})
		}
		hub := e.page(t, "/subjects/joseph-stalin", http.StatusOK)
		if got := hub.Find(`[data-testid="timeline"] time.when`).AttrOr("datetime", ""); got != "1940-08-20" {
			t.Errorf("timeline event date = %q, want 1940-08-20", got)
		}
		if !strings.Contains(text(hub.Find(`[data-testid="timeline"] time.when`)), "1940") {
			t.Error("timeline does not show the year")
		}
	})
}

func TestSubjectTimelineIsOrderedByEventDate(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		sub, err := e.read.Subject(t.Context(), "joseph-stalin")
		if err != nil {
			t.Fatal(err)
		}
		// Published after the seed, but the moment happened earlier.
		for i, d := range []struct{ title, date string }{{"Stalin Dies", "1953-03-05"}, {"Stalin Becomes General Secretary", "1922-04-03"}} {
			e.publishNew(t, article.Draft{Title: d.title, Body: "Text.", Attribution: "HEN", EventDate: d.date, SubjectIDs: []int64{sub.ID}},
				demoPublished.Add(time.Duration(i+1)*time.Hour))
		}
		var got []string
		e.page(t, "/subjects/joseph-stalin", http.StatusOK).Find(`[data-testid="timeline"] time.when`).Each(func(_ int, s *goquery.Selection) {
			got = append(got, s.AttrOr("datetime", ""))
		})
		if strings.Join(got, ",") != "1922-04-03,1940-08-20,1953-03-05" {
			t.Errorf("timeline order = %v", got)
		}
	})
}

func TestNotFound(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		for _, path := range []string{
			"/articles/no-such-article",
			"/articles/Not%20A%20Slug",
			"/articles/" + strings.Repeat("a", 5000),
			"/categories/no-such-category",
			"/subjects/nobody",
			"/no/such/page",
			"/?page=0",
			"/?page=-1",
			"/?page=abc",
			"/?page=2",
			"/?page=99999999999999999999",
			"/subjects/joseph-stalin?page=7",
		} {
			t.Run(path, func(t *testing.T) {
				doc := e.page(t, path, http.StatusNotFound)
				if got := text(doc.Find("h1")); got == "" {
					t.Error("404 page has no heading")
				}
				if doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
					t.Error("404 page may be indexed")
				}
			})
		}
	})
}

func TestHeaders(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		res := e.get(t, "/articles/"+seedSlug)
		want := map[string]string{
			"X-Content-Type-Options":    "nosniff",
			"X-Frame-Options":           "DENY",
			"Referrer-Policy":           "strict-origin-when-cross-origin",
			"Cache-Control":             "public, no-cache",
			"Strict-Transport-Security": "max-age=63072000",
		}
		for k, v := range want {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
		csp := res.Header.Get("Content-Security-Policy")
		for _, directive := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, directive) {
				t.Errorf("CSP %q lacks %q", csp, directive)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP allows inline code: %q", csp)
		}
		if res.Header.Get("X-Request-Id") == "" {
			t.Error("no request id")
		}
		// A client's own request id is kept only if it looks like one.
		for sent, kept := range map[string]bool{"proxy-4f9a1c2e": true, "Our site moved to evil.example": false, "x": false} {
			got := e.get(t, "/no-such-page", "X-Request-Id", sent).Header.Get("X-Request-Id")
			if (got == sent) != kept || got == "" {
				t.Errorf("sent request id %q, got %q", sent, got)
			}
		}

		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		again := e.get(t, "/articles/"+seedSlug, "If-None-Match", etag)
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("conditional GET = %d, want 304", again.StatusCode)
		}
	})
}

func TestAssets(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		doc := e.page(t, "/", http.StatusOK)
		css := doc.Find(`link[rel="stylesheet"]`).AttrOr("href", "")
		if !strings.HasPrefix(css, "/assets/css/quire.") || css == "/assets/css/quire.css" {
			t.Fatalf("stylesheet URL %q is not fingerprinted", css)
		}
		res := e.get(t, css)
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s = %d, Cache-Control %q", css, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
			t.Errorf("Content-Type = %q", ct)
		}
		plain := e.get(t, css, "Accept-Encoding", "identity")
		zipped := e.get(t, css, "Accept-Encoding", "gzip")
		if plain.Header.Get("Content-Encoding") != "" || zipped.Header.Get("Content-Encoding") != "gzip" || zipped.Header.Get("ETag") == plain.Header.Get("ETag") {
			t.Errorf("stylesheet for gzip clients: encoding %q, ETag %q", zipped.Header.Get("Content-Encoding"), zipped.Header.Get("ETag"))
		}
		if res := e.get(t, "/assets/css/nope.css"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown asset = %d", res.StatusCode)
		}
		if res := e.get(t, "/favicon.ico"); res.StatusCode != http.StatusMovedPermanently {
			t.Errorf("/favicon.ico = %d", res.StatusCode)
		}
	})
}

func TestHealth(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		for _, path := range []string{"/healthz", "/readyz"} {
			if res := e.get(t, path); res.StatusCode != http.StatusOK {
				t.Errorf("%s = %d", path, res.StatusCode)
			}
		}
		e.store.Close()
		if res := e.get(t, "/readyz"); res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz with the database closed = %d, want 503", res.StatusCode)
		}
	})
}

func TestSearchPage(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		doc := e.page(t, "/search?q=Trotsky+assassination", http.StatusOK)
		if got := text(doc.Find(`[data-testid="result-count"]`)); got != "1 result for “Trotsky assassination”" {
			t.Errorf("result count = %q", got)
		}
		hit := doc.Find(`[data-testid="results"] li`).First()
		if href := hit.Find("h2 a").AttrOr("href", ""); href != "/articles/"+seedSlug {
			t.Errorf("result links to %q", href)
		}
		if hit.Find("mark").Length() == 0 {
			t.Error("matched words are not highlighted")
		}
		if doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
			t.Error("search results may be indexed")
		}

		none := e.page(t, "/search?q=zanzibar", http.StatusOK)
		if got := text(none.Find(`[data-testid="result-count"]`)); !strings.HasPrefix(got, "No results for “zanzibar”") {
			t.Errorf("no results says %q", got)
		}
		e.page(t, "/search", http.StatusOK)

		for _, q := range []string{`"`, `"trotsky`, `trotsky*`, `NEAR(trotsky stalin)`, `-stalin`, `title:trotsky`, "\x1b\x02", "\u202e",
			strings.Repeat("x", 10_000), strings.Repeat("trotsky ", 1500), `*`, `(`, `"""`} {
			res := e.get(t, "/search?q="+url.QueryEscape(q))
			if res.StatusCode != http.StatusOK {
				t.Errorf("search %.40q = %d, want 200", q, res.StatusCode)
			}
		}
		// What is not text at all is refused with a clear message, on
		// either database.
		for _, q := range []string{"\x00trotsky", "\xff\xfe"} {
			if res := e.get(t, "/search?q="+url.QueryEscape(q)); res.StatusCode != http.StatusBadRequest {
				t.Errorf("search %q = %d, want 400", q, res.StatusCode)
			}
		}
		long := e.page(t, "/search?q="+strings.Repeat("trotsky+", 100), http.StatusOK)
		if !strings.Contains(text(long.Find(".hint")), "Only the first 200 characters") {
			t.Error("a shortened query is not mentioned")
		}
		for _, p := range []string{"/search?q=trotsky&page=2", "/search?q=trotsky&page=0", "/search?q=trotsky&page=-1", "/search?q=trotsky&page=x"} {
			if res := e.get(t, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
			}
		}
	})
}

func TestOldSlugsRedirect(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		editor, _ := e.loggedIn(t, account.Editor)
		reviewer, _ := e.loggedIn(t, account.Reviewer)
		form := articleForm("Trotsky's Assassination Ends Stalin's Opposition", "Moved.")
		form.Set("slug", "trotsky-assassinated")
		wantStatus(t, save(editor, "/desk/articles/1", 1, form), http.StatusSeeOther, "save with a new slug")
		wantStatus(t, act(editor, "/desk/articles/1", "submit", 0, nil), http.StatusSeeOther, "submit")
		wantStatus(t, decide(reviewer, "/desk/articles/1", "approve", "", 0), http.StatusSeeOther, "approve")
		wantStatus(t, act(editor, "/desk/articles/1", "publish", 0, nil), http.StatusSeeOther, "publish")

		res := e.get(t, "/articles/"+seedSlug)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/articles/trotsky-assassinated" {
			t.Errorf("old slug = %d → %q, want 301 to the new one", res.StatusCode, res.Header.Get("Location"))
		}
		e.page(t, "/articles/trotsky-assassinated", http.StatusOK)
	})
}

func TestPageCache(t *testing.T) {
	e := newEnv(t)
	path := "/articles/" + seedSlug
	// Uncompressed, as curl and some crawlers ask (Go's client would ask
	// for gzip, whose body the cache always owns): other pages rendered
	// meanwhile reuse the render buffers, so the cached copy must be the
	// cache's own.
	plain := []string{"Accept-Encoding", "identity"}
	first := e.get(t, path, plain...)
	if first.Header.Get("X-Quire-Cache") != "miss" {
		t.Fatalf("first request: X-Quire-Cache = %q", first.Header.Get("X-Quire-Cache"))
	}
	for _, other := range []string{"/", "/categories/politics", "/subjects/joseph-stalin"} {
		e.get(t, other, plain...)
	}
	second := e.get(t, path, plain...)
	if second.Header.Get("X-Quire-Cache") != "hit" || second.Header.Get("ETag") != first.Header.Get("ETag") {
		t.Errorf("second request: %q, ETag %q vs %q", second.Header.Get("X-Quire-Cache"), second.Header.Get("ETag"), first.Header.Get("ETag"))
	}
	if body(t, second) != body(t, first) {
		t.Error("the cached page differs from the rendered one")
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control", "Content-Type"} {
		if second.Header.Get(h) == "" || second.Header.Get(h) != first.Header.Get(h) {
			t.Errorf("%s: rendered %q, cached %q", h, first.Header.Get(h), second.Header.Get(h))
		}
	}
	lastModified := second.Header.Get("Last-Modified")
	if _, err := http.ParseTime(lastModified); err != nil {
		t.Fatalf("Last-Modified = %q", lastModified)
	}
	if res := e.get(t, path, "If-Modified-Since", lastModified, "Accept-Encoding", "identity"); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since = %d, want 304", res.StatusCode)
	}
	if res := e.get(t, path, "If-None-Match", second.Header.Get("ETag"), "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT",
		"Accept-Encoding", "identity"); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match must win over an old If-Modified-Since: %d", res.StatusCode)
	}

	// Publishing empties the cache at once.
	e.publishUpdate(t, 1, article.Change{}, demoPublished.Add(48*time.Hour))
	after := e.get(t, path)
	if after.Header.Get("X-Quire-Cache") != "miss" || after.Header.Get("ETag") == first.Header.Get("ETag") {
		t.Errorf("after publishing: %q with ETag %q", after.Header.Get("X-Quire-Cache"), after.Header.Get("ETag"))
	}

	// Desk pages and anything behind a login never go through the cache.
	c, _ := e.loggedIn(t, account.Editor)
	for _, p := range []string{"/desk", "/desk/articles/1/preview"} {
		res := c.get(p)
		if res.Header.Get("X-Quire-Cache") != "" || res.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s: X-Quire-Cache %q, Cache-Control %q", p, res.Header.Get("X-Quire-Cache"), res.Header.Get("Cache-Control"))
		}
	}
	if res := e.get(t, "/articles/no-such-article"); res.Header.Get("Cache-Control") == "public, max-age=60, stale-while-revalidate=600" {
		t.Error("a 404 is cached publicly")
	}
}

func TestListingCardsFallBackToTheOpeningOfTheBody(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		got := text(e.page(t, "/", http.StatusOK).Find(`[data-testid="articles"] .dek`))
		if !strings.HasPrefix(got, "Leon Trotsky, a key figure in the Russian Revolution") || !strings.HasSuffix(got, "…") {
			t.Errorf("card for an article without a dek reads %q", got)
		}
	})
}

func TestReaderPagesAreCompressedForClientsThatAsk(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		path := "/articles/" + seedSlug
		for range 2 { // a miss, then (cache on) a hit
			plain := e.get(t, path, "Accept-Encoding", "identity")
			zipped := e.get(t, path, "Accept-Encoding", "br, gzip;q=0.8")
			if plain.Header.Get("Content-Encoding") != "" || zipped.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding: plain %q, gzip %q", plain.Header.Get("Content-Encoding"), zipped.Header.Get("Content-Encoding"))
			}
			// The page kept for the client that took no gzip is
			// compressed for the first that does, and kept so.
			if plain.Header.Get("X-Quire-Cache") == "miss" {
				if zipped.Header.Get("X-Quire-Cache") != "hit" {
					t.Errorf("gzip after an uncompressed miss: X-Quire-Cache %q", zipped.Header.Get("X-Quire-Cache"))
				}
				if p, _ := e.web.CachedPage(path); p.Gzip.Body == nil {
					t.Error("the compressed page was not kept")
				}
			}
			compressed := body(t, zipped)
			if zipped.Header.Get("Content-Length") != strconv.Itoa(len(compressed)) {
				t.Errorf("Content-Length %q for %d bytes", zipped.Header.Get("Content-Length"), len(compressed))
			}
			if !strings.HasPrefix(zipped.Header.Get("Vary"), "Accept-Encoding") || plain.Header.Get("ETag") == zipped.Header.Get("ETag") {
				t.Errorf("Vary %q; ETags %q and %q must differ", zipped.Header.Get("Vary"), plain.Header.Get("ETag"), zipped.Header.Get("ETag"))
			}
			zr, err := gzip.NewReader(strings.NewReader(compressed))
			if err != nil {
				t.Fatal(err)
			}
			unzipped, _ := io.ReadAll(zr)
			if string(unzipped) != body(t, plain) {
				t.Error("the compressed page is not the page")
			}
		}
		if res := e.get(t, path, "Accept-Encoding", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
			t.Error("gzip;q=0 was answered with gzip")
		}
	})
}

// A page from the cache carries every header it was sent with when it was
// rendered, but the request's id, as it is and compressed; its 304 carries
// them too, but those of a body.
func TestCacheHitsSendTheHeadersOfTheMiss(t *testing.T) {
	e := newEnv(t)
	own := []string{"Date", "X-Request-Id", "X-Quire-Cache"}
	for _, tt := range []struct{ path, encoding string }{{"/articles/" + seedSlug, "identity"}, {"/categories/politics", "gzip"}} {
		miss := e.get(t, tt.path, "Accept-Encoding", tt.encoding)
		hit := e.get(t, tt.path, "Accept-Encoding", tt.encoding)
		if miss.Header.Get("X-Quire-Cache") != "miss" || hit.Header.Get("X-Quire-Cache") != "hit" {
			t.Fatalf("%s: X-Quire-Cache %q then %q", tt.path, miss.Header.Get("X-Quire-Cache"), hit.Header.Get("X-Quire-Cache"))
		}
		want, got := miss.Header.Clone(), hit.Header.Clone()
		for _, h := range own {
			want.Del(h)
			got.Del(h)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s, %s: the hit's headers\n%v\ndiffer from the miss's\n%v", tt.path, tt.encoding, got, want)
		}
		notModified := e.get(t, tt.path, "Accept-Encoding", tt.encoding, "If-None-Match", hit.Header.Get("ETag"))
		if notModified.StatusCode != http.StatusNotModified {
			t.Fatalf("%s: If-None-Match = %d", tt.path, notModified.StatusCode)
		}
		for _, h := range []string{"Content-Type", "Content-Length", "Content-Encoding"} {
			want.Del(h)
		}
		got = notModified.Header.Clone()
		for _, h := range own {
			got.Del(h)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s, %s: the 304's headers\n%v\ndiffer from the page's\n%v", tt.path, tt.encoding, got, want)
		}
	}
}

// TestWhatIsNotTextIsRefusedAtTheEdge: NUL bytes and broken UTF-8 in a
// path, a query or a form get 400 or 404 with a message, whichever
// database Quire runs on (PostgreSQL refuses to store them), and a form
// too large to read is 413, not a CSRF refusal.
func TestWhatIsNotTextIsRefusedAtTheEdge(t *testing.T) {
	e := newEnv(t)
	for path, want := range map[string]int{
		"/categories/%00":               http.StatusNotFound,
		"/subjects/%FF":                 http.StatusNotFound,
		"/articles/%00x":                http.StatusNotFound,
		"/?page=%00":                    http.StatusBadRequest,
		"/desk/articles?q=%FF":          http.StatusBadRequest,
		"/login?next=%2Fdesk%00":        http.StatusBadRequest,
		"/categories/politics?x=%C3%28": http.StatusBadRequest,
	} {
		if res := e.get(t, path); res.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, res.StatusCode, want)
		}
	}
	e.account(t, account.Editor, "ed@hen.example")
	c := e.client(t)
	for _, form := range []url.Values{
		{"email": {"ed@hen.example\x00"}, "password": {testPassword}},
		{"email": {"\xff@hen.example"}, "password": {testPassword}},
		{"email": {"ed@hen.example"}, "password": {"pass\x00word"}},
	} {
		res := c.post("/login", "/login", form)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body(t, res), "not text") {
			t.Errorf("login with %q = %d, want 400 saying why", form.Get("email"), res.StatusCode)
		}
	}
	ed, _ := e.loggedIn(t, account.Editor)
	form := articleForm("Title \x00", "Body")
	if res := ed.post("/desk/articles/new", "/desk/articles", form); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an article with a NUL = %d, want 400", res.StatusCode)
	}
	many := url.Values{}
	for i := range 12_000 {
		many.Set("f"+strconv.Itoa(i), "x")
	}
	if res := ed.post("/desk/articles/new", "/desk/articles", many); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a form with 12,000 fields = %d, want 413", res.StatusCode)
	}
}

// TestHeadIsAnsweredWhereverGetIs: uptime monitors and link checkers ask
// with HEAD; they get GET's status and headers, and no body.
func TestHeadIsAnsweredWhereverGetIs(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		for _, path := range []string{"/", "/articles/" + seedSlug, "/articles/" + seedSlug, "/categories/politics", "/subjects/joseph-stalin",
			"/search?q=trotsky", "/feed.xml", "/sitemap.xml", "/robots.txt", "/healthz", "/login", "/desk", "/no-such-page"} {
			get := e.get(t, path)
			req, _ := http.NewRequest(http.MethodHead, e.srv.URL+path, nil)
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			head, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(head.Body)
			head.Body.Close()
			if head.StatusCode != get.StatusCode || len(b) != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
				t.Errorf("HEAD %s = %d (%d bytes, %q), GET = %d (%q)", path, head.StatusCode, len(b), head.Header.Get("Content-Type"),
					get.StatusCode, get.Header.Get("Content-Type"))
			}
		}
	})
}

// TestQueryStringsCannotFlushTheCache: parameters a page does not read
// are no part of its cache address, and pages made for one query (every
// search) have a budget of their own, so neither can push out the pages
// readers keep coming back to.
func TestQueryStringsCannotFlushTheCache(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, web.Config{BaseURL: baseURL, PageCacheBytes: 256 << 10})
	page := "/articles/" + seedSlug
	e.get(t, page)
	for i := range 200 {
		res := e.get(t, page+"?cb="+strconv.Itoa(i))
		if res.Header.Get("X-Quire-Cache") != "hit" {
			t.Fatalf("?cb=%d was a %s, want the article's cached page", i, res.Header.Get("X-Quire-Cache"))
		}
	}
	for i := range 300 {
		e.get(t, "/search?q=word"+strconv.Itoa(i))
	}
	if res := e.get(t, page); res.Header.Get("X-Quire-Cache") != "hit" {
		t.Error("300 searches pushed the article out of the cache")
	}
	if a, b := e.get(t, "/?page=1&utm_source=x").Header.Get("ETag"), e.get(t, "/").Header.Get("ETag"); a != b {
		t.Errorf("/?page=1 and / are different pages: %s, %s", a, b)
	}
	// The sitemap's own address is the index of its pages on a large
	// site: its page 1 is another document, cached apart.
	e.get(t, "/sitemap.xml")
	if res := e.get(t, "/sitemap.xml?page=1"); res.Header.Get("X-Quire-Cache") != "miss" {
		t.Errorf("/sitemap.xml?page=1 after /sitemap.xml was a %s, want a page of its own", res.Header.Get("X-Quire-Cache"))
	}
}
