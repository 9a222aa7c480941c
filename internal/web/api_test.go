package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/quire-cms/quire/internal/api"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/workflow"
)

// contract checks responses against the OpenAPI document, as a client
// generated from it would read them.
type contract struct {
	router routers.Router
}

func newContract(t *testing.T, base string) contract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatalf("load the OpenAPI document: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: base + api.Version}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return contract{router: router}
}

// check fetches path and validates the request and the response against
// the document; it returns the response and its body.
func (k contract) check(t *testing.T, e env, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	res := e.get(t, path, header...)
	body, _ := io.ReadAll(res.Body)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	route, params, err := k.router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s: no route in the document: %v", path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s: %d response does not match the document: %v\n%s", path, res.StatusCode, err, body)
	}
	return res, body
}

func fromJSON[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

func TestContentAPIMatchesItsDocument(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		k := newContract(t, e.srv.URL)
		sub, _ := e.read.Subject(t.Context(), "joseph-stalin")
		for i, d := range []struct{ title, date string }{{"Stalin Dies", "1953-03-05"}, {"Stalin Becomes General Secretary", "1922-04-03"}, {"Undated Moment", ""}} {
			e.publishNew(t, article.Draft{Title: d.title, Body: "Text of " + d.title + ".", Attribution: "HEN", EventDate: d.date, SubjectIDs: []int64{sub.ID}},
				demoPublished.Add(time.Duration(i+1)*time.Hour))
		}
		for _, path := range []string{
			"/api/v1/network", "/api/v1/categories", "/api/v1/subjects", "/api/v1/articles",
			"/api/v1/articles?limit=1", "/api/v1/articles?subject=joseph-stalin&order=event", "/api/v1/articles?q=stalin",
			"/api/v1/articles?category=politics", "/api/v1/articles?updated_since=2000-01-01T00:00:00Z",
			"/api/v1/articles/" + seedSlug, "/api/v1/articles/stalin-dies",
			// errors
			"/api/v1/articles?colour=red", "/api/v1/articles?limit=0", "/api/v1/articles?limit=1&limit=2",
			"/api/v1/articles?order=oldest", "/api/v1/articles?updated_since=yesterday", "/api/v1/articles?cursor=bogus",
			"/api/v1/articles?q=stalin&category=politics", "/api/v1/articles?category=no-such-thing",
			"/api/v1/articles?category=politics&subject=joseph-stalin", "/api/v1/articles/no-such-article", "/api/v1/network?x=1",
		} {
			res, body := k.check(t, e, path)
			if res.StatusCode == http.StatusOK && res.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%s: Content-Type %q", path, res.Header.Get("Content-Type"))
			}
			if res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d as %q", path, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if res.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("%s: no CORS header", path)
			}
			_ = body
		}
	})
}

func TestContentAPIArticle(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		k := newContract(t, e.srv.URL)
		_, body := k.check(t, e, "/api/v1/articles/"+seedSlug)
		a := fromJSON[api.Article](t, body)
		seed := e.seed(t)
		if a.Title != seed.Revision.Title || a.Attribution != "History Editorial Network (HEN)" || !strings.Contains(a.BodyHTML, "<p>") ||
			a.BodyText == "" || a.PrimaryReference == nil || a.EventDate == nil || *a.EventDate != "1940-08-20" ||
			a.URL != baseURL+"/articles/"+seedSlug || !strings.HasSuffix(a.BodyText, "socialist movement.") || len(a.Categories) == 0 || len(a.Subjects) == 0 ||
			a.PublishedAt != seed.Article.PublishedAt.UTC().Format(time.RFC3339) {
			t.Errorf("article: %+v", a)
		}
		if a.Subjects[0].HubTitle != "Life Moments of Joseph Stalin" {
			t.Errorf("subject hub title %q", a.Subjects[0].HubTitle)
		}

		// Drafts are invisible, whatever is asked.
		draft, _ := e.create(t, article.Draft{Title: "A Xylophonic Draft", Body: "Not yet xylophonic.", Attribution: "HEN"})
		for _, path := range []string{"/api/v1/articles/" + draft.Slug, "/api/v1/articles?q=xylophonic", "/api/v1/articles"} {
			res, body := k.check(t, e, path)
			if strings.Contains(string(body), "Xylophonic") || res.StatusCode == http.StatusOK && strings.HasPrefix(path, "/api/v1/articles/") {
				t.Errorf("%s shows a draft: %d %s", path, res.StatusCode, body)
			}
		}

		// Withdrawn: 410 with a problem detail.
		if err := e.pub.Unpublish(t.Context(), workflow.System, seed.Article.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		res, body := k.check(t, e, "/api/v1/articles/"+seedSlug)
		if p := fromJSON[api.Problem](t, body); res.StatusCode != http.StatusGone || p.Status != http.StatusGone || p.Detail == "" {
			t.Errorf("withdrawn article = %d %+v", res.StatusCode, p)
		}
	})
}

func TestContentAPIRefusesBadParameters(t *testing.T) {
	e := newEnv(t)
	for path, param := range map[string]string{
		"/api/v1/articles?colour=red":                            "colour",
		"/api/v1/articles?limit=101":                             "limit",
		"/api/v1/articles?limit=5&limit=6":                       "limit",
		"/api/v1/articles?order=random":                          "order",
		"/api/v1/articles?updated_since=2026-13-01":              "updated_since",
		"/api/v1/articles?cursor=AAAA":                           "cursor",
		"/api/v1/articles?q=stalin&order=event":                  "order",
		"/api/v1/articles?q=%20":                                 "q",
		"/api/v1/articles?subject=nobody":                        "subject",
		"/api/v1/articles?contributor=nobody":                    "contributor",
		"/api/v1/articles?category=politics&contributor=someone": "contributor",
		"/api/v1/categories?page=2":                              "page",
		"/api/v1/articles/" + seedSlug + "?fields=title":         "fields",
	} {
		res := e.get(t, path)
		p := fromJSON[api.Problem](t, []byte(body(t, res)))
		if res.StatusCode != http.StatusBadRequest || p.Parameter != param || p.Detail == "" {
			t.Errorf("%s = %d %+v, want 400 naming %q", path, res.StatusCode, p, param)
		}
	}
	if res := e.get(t, "/api/v1/nothing-here"); res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown API address = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestContentAPIPagesThroughEverything(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		sub, _ := e.read.Subject(t.Context(), "joseph-stalin")
		for i := range 7 {
			date := ""
			if i%3 != 0 {
				date = time.Date(1920+i, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
			}
			// Two at the same moment: the cursor must tell them apart.
			e.publishNew(t, article.Draft{Title: "Moment " + string(rune('A'+i)), Body: "Text.", Attribution: "HEN", EventDate: date, SubjectIDs: []int64{sub.ID}},
				demoPublished.Add(time.Duration(1+i/2)*time.Hour))
		}
		for _, order := range []string{"newest", "event"} {
			all := fromJSON[api.List[api.ArticleSummary]](t, []byte(body(t, e.get(t, "/api/v1/articles?limit=100&subject=joseph-stalin&order="+order))))
			var paged []api.ArticleSummary
			next := "/api/v1/articles?limit=2&subject=joseph-stalin&order=" + order
			for range 20 {
				res := e.get(t, next)
				page := fromJSON[api.List[api.ArticleSummary]](t, []byte(body(t, res)))
				paged = append(paged, page.Data...)
				if page.Next == nil {
					break
				}
				u, _ := url.Parse(*page.Next)
				next = u.RequestURI()
			}
			if len(all.Data) != 8 || len(paged) != len(all.Data) {
				t.Fatalf("%s: %d in one page, %d paged", order, len(all.Data), len(paged))
			}
			for i := range paged {
				if paged[i].ID != all.Data[i].ID {
					t.Errorf("%s: item %d paged is %q, in one page %q", order, i, paged[i].Title, all.Data[i].Title)
				}
			}
			if order == "event" && (all.Data[0].EventDate == nil || all.Data[len(all.Data)-1].EventDate != nil) {
				t.Errorf("event order does not put the earliest first and undated last")
			}
		}
	})
}

func TestContentAPIUpdatedSince(t *testing.T) {
	e := newEnv(t)
	later := demoPublished.Add(48 * time.Hour)
	e.publishNew(t, article.Draft{Title: "Fresh", Body: "Text.", Attribution: "HEN"}, later)
	list := fromJSON[api.List[api.ArticleSummary]](t, []byte(body(t, e.get(t, "/api/v1/articles?updated_since="+url.QueryEscape(later.Add(-time.Minute).UTC().Format(time.RFC3339))))))
	if len(list.Data) != 1 || list.Data[0].Title != "Fresh" {
		t.Errorf("updated_since: %+v", list.Data)
	}
	// A minor correction to the seed counts as a publication since.
	e.publishUpdate(t, e.seed(t).Article.ID, article.Change{Minor: true}, later.Add(time.Hour))
	list = fromJSON[api.List[api.ArticleSummary]](t, []byte(body(t, e.get(t, "/api/v1/articles?updated_since="+url.QueryEscape(later.Add(30*time.Minute).UTC().Format(time.RFC3339))))))
	if len(list.Data) != 1 || list.Data[0].Slug != seedSlug {
		t.Errorf("updated_since after a minor correction: %+v", list.Data)
	}
}

func TestContentAPICaching(t *testing.T) {
	e := newEnv(t) // with the page cache on
	first := e.get(t, "/api/v1/articles/"+seedSlug)
	tag := first.Header.Get("ETag")
	if tag == "" || first.Header.Get("Last-Modified") == "" || !strings.Contains(first.Header.Get("Cache-Control"), "public") {
		t.Fatalf("headers: %v", first.Header)
	}
	again := e.get(t, "/api/v1/articles/"+seedSlug, "If-None-Match", tag)
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match = %d, want 304", again.StatusCode)
	}
	hit := e.get(t, "/api/v1/articles/"+seedSlug)
	if hit.Header.Get("X-Quire-Cache") != "hit" || hit.Header.Get("Access-Control-Allow-Origin") != "*" || hit.Header.Get("Content-Type") != "application/json" {
		t.Errorf("cache hit headers: %v", hit.Header)
	}
	// An unknown or empty parameter is refused even when the page is cached.
	if res := e.get(t, "/api/v1/articles/"+seedSlug+"?x=1"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("cached article with an unknown parameter = %d", res.StatusCode)
	}
	e.get(t, "/api/v1/articles")
	if res := e.get(t, "/api/v1/articles?q="); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an empty search beside a cached list = %d", res.StatusCode)
	}
	// A change readers can see changes the answer.
	e.publishUpdate(t, e.seed(t).Article.ID, article.Change{Kind: article.ChangeCorrection, Note: "Fixed a date."}, time.Now())
	if res := e.get(t, "/api/v1/articles/"+seedSlug, "If-None-Match", tag); res.StatusCode != http.StatusOK {
		t.Errorf("after a correction, the old ETag = %d, want 200", res.StatusCode)
	}
}

func TestContentAPIPage(t *testing.T) {
	e := newEnv(t)
	doc := e.page(t, "/api", http.StatusOK)
	if text(doc.Find("h1")) != "Content API" || doc.Find(`a[href="/api/v1/openapi.json"]`).Length() != 1 ||
		!strings.Contains(doc.Text(), baseURL+"/api/v1/articles?subject=joseph-stalin&order=event") {
		t.Error("the API page lacks its heading, the OpenAPI link or the examples")
	}
	res := e.get(t, "/api/v1/openapi.json")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("openapi.json = %d %v", res.StatusCode, res.Header)
	}
}
