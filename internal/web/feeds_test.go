package web_test

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
)

// atom is what RFC 4287 requires of a feed and its entries.
type atom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

func (e env) feed(t *testing.T, path string) atom {
	t.Helper()
	res := e.get(t, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("%s Content-Type = %q", path, ct)
	}
	var f atom
	if err := xml.Unmarshal([]byte(body(t, res)), &f); err != nil {
		t.Fatalf("%s is not Atom: %v", path, err)
	}
	if f.ID == "" || f.Title == "" || f.Author.Name == "" {
		t.Errorf("%s lacks id, title or author: %+v", path, f)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("%s updated = %q: %v", path, f.Updated, err)
	}
	rels := map[string]string{}
	for _, l := range f.Links {
		rels[l.Rel] = l.Href
	}
	if rels["self"] != baseURL+path || rels["alternate"] == "" {
		t.Errorf("%s links = %v, want self and alternate", path, rels)
	}
	for _, entry := range f.Entries {
		if entry.ID == "" || entry.Title == "" || len(entry.Links) == 0 || !strings.HasPrefix(entry.Links[0].Href, baseURL+"/articles/") {
			t.Errorf("%s entry lacks id, title or link: %+v", path, entry)
		}
		if _, err := time.Parse(time.RFC3339, entry.Updated); err != nil {
			t.Errorf("%s entry updated = %q", path, entry.Updated)
		}
	}
	return f
}

type sitemap struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

func (e env) sitemap(t *testing.T) map[string]string {
	t.Helper()
	res := e.get(t, "/sitemap.xml")
	var sm sitemap
	if err := xml.Unmarshal([]byte(body(t, res)), &sm); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("sitemap = %d, %v", res.StatusCode, err)
	}
	out := map[string]string{}
	for _, u := range sm.URLs {
		out[u.Loc] = u.LastMod
	}
	return out
}

func TestFeedsSitemapAndRobots(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		seedURL := baseURL + "/articles/" + seedSlug
		for _, path := range []string{"/feed.xml", "/categories/politics/feed.xml", "/subjects/joseph-stalin/feed.xml"} {
			f := e.feed(t, path)
			if len(f.Entries) != 1 || f.Entries[0].Links[0].Href != seedURL || !strings.Contains(f.Entries[0].Content, "<p>") {
				t.Errorf("%s entries = %+v", path, f.Entries)
			}
		}
		for _, path := range []string{"/categories/nope/feed.xml", "/subjects/nope/feed.xml"} {
			if res := e.get(t, path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
			}
		}
		doc := e.page(t, "/categories/politics", http.StatusOK)
		if doc.Find(`link[rel="alternate"][type="application/atom+xml"][href="/categories/politics/feed.xml"]`).Length() != 1 {
			t.Error("the category page does not announce its feed")
		}

		urls := e.sitemap(t)
		if urls[seedURL] != demoPublished.Format(time.RFC3339) {
			t.Errorf("sitemap lastmod of the seed = %q, want its Updated date", urls[seedURL])
		}
		for _, page := range []string{baseURL + "/", baseURL + "/categories/politics", baseURL + "/subjects/leon-trotsky"} {
			if _, ok := urls[page]; !ok {
				t.Errorf("sitemap lacks %s", page)
			}
		}

		robots := body(t, e.get(t, "/robots.txt"))
		if !strings.Contains(robots, "Sitemap: "+baseURL+"/sitemap.xml") || !strings.Contains(robots, "Disallow: /desk") {
			t.Errorf("robots.txt = %q", robots)
		}
	})
}

func TestFeedEntryIDsAreStableAndUnpublishedArticlesLeave(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		id := e.feed(t, "/feed.xml").Entries[0].ID
		e.publishUpdate(t, 1, article.Change{}, demoPublished.Add(24*time.Hour))
		f := e.feed(t, "/feed.xml")
		if f.Entries[0].ID != id {
			t.Errorf("an update changed the entry id from %s to %s", id, f.Entries[0].ID)
		}
		if f.Entries[0].Updated != demoPublished.Add(24*time.Hour).Format(time.RFC3339) {
			t.Errorf("entry updated = %s after an update", f.Entries[0].Updated)
		}

		editor, _ := e.loggedIn(t, account.Editor)
		wantStatus(t, act(editor, "/desk/articles/1", "unpublish", 0, nil), http.StatusSeeOther, "unpublish")
		for _, path := range []string{"/feed.xml", "/categories/politics/feed.xml", "/subjects/joseph-stalin/feed.xml"} {
			if n := len(e.feed(t, path).Entries); n != 0 {
				t.Errorf("%s still has %d entries after unpublishing", path, n)
			}
		}
		if _, ok := e.sitemap(t)[baseURL+"/articles/"+seedSlug]; ok {
			t.Error("the sitemap still lists the unpublished article")
		}
		if strings.Contains(body(t, e.get(t, "/search?q=trotsky")), seedSlug) {
			t.Error("search still finds the unpublished article")
		}
	})
}
