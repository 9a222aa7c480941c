package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/workflow"
)

const correctionNote = "An earlier version gave the wrong day of Trotsky's death."

// corrected publishes, after the demo article's first version, a
// correction that adds a sentence (version 2), then an update and an
// editor's note (versions 3 and 4), a day apart each.
func corrected(t *testing.T, e env) []time.Time {
	t.Helper()
	at := []time.Time{demoPublished, demoPublished.Add(24 * time.Hour), demoPublished.Add(48 * time.Hour), demoPublished.Add(72 * time.Hour)}
	e.publishUpdate(t, 1, article.Change{Kind: article.ChangeCorrection, Note: correctionNote}, at[1], func(d *article.Draft) {
		d.Body += "\n\nTrotsky died on 21 August, the day after the attack.\n\n<!-- off the record: the source is his secretary -->"
	})
	e.publishUpdate(t, 1, article.Change{Kind: article.ChangeUpdate, Note: "Added the autopsy report."}, at[2])
	e.publishUpdate(t, 1, article.Change{Kind: article.ChangeEditorsNote, Note: "This article is part of our series on the purges."}, at[3])
	return at
}

func TestCorrectionsOnTheArticleAndInTheLog(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		corrected(t, e)
		page := "/articles/" + seedSlug
		doc := e.page(t, page, http.StatusOK)

		// Corrections head the page, after the dates; updates and
		// editor's notes are listed at its end.
		top := doc.Find(`.story-head [data-testid="corrections"]`)
		if got := text(top); got != "Correction, August 21, 2026: "+correctionNote+" What changed" {
			t.Errorf("corrections at the top = %q", got)
		}
		if href := top.Find("a").AttrOr("href", ""); href != page+"/versions/2/changes" {
			t.Errorf("What changed links to %q", href)
		}
		bottom := text(doc.Find(`[data-testid="updates"]`))
		if strings.Contains(bottom, correctionNote) || !strings.Contains(bottom, "August 22, 2026: Added the autopsy report.") ||
			!strings.Contains(bottom, "Editor's note, August 23, 2026: This article is part of our series") {
			t.Errorf("updates at the end = %q", bottom)
		}
		ld := doc.Find(`script[type="application/ld+json"]`).First().Text()
		if !strings.Contains(ld, `"correction":[{"@type":"CorrectionComment","datePublished":"2026-08-21T09:30:00Z","text":"Correction: An earlier version`) {
			t.Errorf("JSON-LD has no CorrectionComment: %s", ld)
		}

		// The log lists it, newest first, from every page's footer.
		if href := doc.Find(`.site-foot a:contains("Corrections")`).AttrOr("href", ""); href != "/corrections" {
			t.Errorf("footer links to corrections at %q", href)
		}
		log := e.page(t, "/corrections", http.StatusOK)
		entries := log.Find(`[data-testid="corrections-log"] li`)
		if entries.Length() != 1 || !strings.Contains(text(entries), correctionNote) ||
			entries.Find(`a:contains("What changed")`).AttrOr("href", "") != page+"/versions/2/changes" {
			t.Fatalf("corrections log = %q", text(log.Find("main")))
		}
		feed := body(t, e.get(t, "/corrections/feed.xml"))
		if !strings.Contains(feed, "<title>Correction: Trotsky") || !strings.Contains(feed, "An earlier version gave the wrong day") ||
			!strings.Contains(feed, "/versions/2/changes") {
			t.Errorf("corrections feed:\n%s", feed)
		}

		// What changed: the words the correction added.
		changes := e.page(t, page+"/versions/2/changes", http.StatusOK)
		if got := text(changes.Find(`[data-testid="diff"] ins`)); !strings.Contains(got, "Trotsky died on 21 August") {
			t.Errorf("inserted text = %q", got)
		}
		if strings.Contains(changes.Text(), "off the record") {
			t.Error("What changed shows a Markdown comment readers never saw")
		}
		if got := text(changes.Find(".intro")); !strings.HasSuffix(got, ", published on August 21, 2026 as a correction: "+correctionNote) {
			t.Errorf("the changes page says %q", got)
		}
		if changes.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
			t.Error("the changes page is indexable")
		}
		if first := e.page(t, page+"/versions/1/changes", http.StatusOK); !strings.Contains(text(first.Find("main")), "This is the first version") {
			t.Errorf("changes of version 1 = %q", text(first.Find("main")))
		}

		// Taken down, the article's versions go with it, but the log keeps
		// its entry, by title.
		if err := e.pub.Unpublish(t.Context(), workflow.System, 1, demoPublished.Add(96*time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{page + "/versions", page + "/versions/1", page + "/versions/2/changes"} {
			if res := e.get(t, p); res.StatusCode != http.StatusGone {
				t.Errorf("GET %s of a withdrawn article = %d, want 410", p, res.StatusCode)
			}
		}
		if res := e.get(t, page, "Accept-Datetime", "Fri, 21 Aug 2026 12:00:00 GMT"); res.StatusCode != http.StatusGone {
			t.Errorf("TimeGate of a withdrawn article = %d, want 410", res.StatusCode)
		}
		entries = e.page(t, "/corrections", http.StatusOK).Find(`[data-testid="corrections-log"] li`)
		if got := text(entries); entries.Length() != 1 || !strings.Contains(got, "(withdrawn)") || entries.Find("a").Length() != 0 {
			t.Errorf("log entry of a withdrawn article = %q", got)
		}
	})
}

func TestVersionPages(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		at := corrected(t, e)
		page := "/articles/" + seedSlug
		for range 2 { // a miss, then (cache on) a hit
			res := e.get(t, page+"/versions/1")
			if res.StatusCode != http.StatusOK || res.Header.Get("Memento-Datetime") != "Thu, 20 Aug 2026 09:30:00 GMT" {
				t.Fatalf("version 1: %d, Memento-Datetime %q", res.StatusCode, res.Header.Get("Memento-Datetime"))
			}
			link := res.Header.Get("Link")
			for _, want := range []string{
				`<` + baseURL + page + `>; rel="original timegate"`,
				`<` + baseURL + page + `/versions>; rel="timemap"; type="application/link-format"`,
				`<` + baseURL + page + `/versions/1>; rel="first memento"; datetime="Thu, 20 Aug 2026 09:30:00 GMT"`,
				`<` + baseURL + page + `/versions/2>; rel="next memento"; datetime="Fri, 21 Aug 2026 09:30:00 GMT"`,
				`<` + baseURL + page + `/versions/4>; rel="last memento"; datetime="Sun, 23 Aug 2026 09:30:00 GMT"`,
			} {
				if !strings.Contains(link, want) {
					t.Errorf("Link of version 1 lacks %s:\n%s", want, link)
				}
			}
		}
		doc := e.page(t, page+"/versions/1", http.StatusOK)
		banner := text(doc.Find(`[data-testid="version-banner"]`))
		if !strings.Contains(banner, "This is the version published on August 20, 2026 — see the current version") {
			t.Errorf("banner = %q", banner)
		}
		if doc.Find(`[data-testid="body"]`).Text() == "" || strings.Contains(text(doc.Find("article")), "Trotsky died on 21 August") {
			t.Error("version 1 does not show the page as it was")
		}
		if got := doc.Find(`[data-testid="fingerprint"]`).Text(); !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(got) {
			t.Errorf("fingerprint = %q", got)
		}
		if doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 || doc.Find(`link[rel="canonical"]`).AttrOr("href", "") != baseURL+page {
			t.Error("a version page must be noindex with the current article as canonical")
		}
		// Version 2 shows the dates and updates as they were then.
		v2 := e.page(t, page+"/versions/2", http.StatusOK)
		if got := text(v2.Find(`[data-testid="dates"]`)); got != "Published: August 20, 2026 | Updated: August 21, 2026" {
			t.Errorf("version 2 dates = %q", got)
		}
		if v2.Find(`[data-testid="updates"]`).Length() != 0 || v2.Find(`[data-testid="corrections"]`).Length() != 1 {
			t.Error("version 2 lists what came after it")
		}

		// Only what was published has a version: not the draft saved
		// since, nor any number that is not one.
		e.saveUpdate(t, 1, "A draft nobody approved")
		for _, p := range []string{"/versions/5", "/versions/0", "/versions/01", "/versions/x", "/versions/5/changes"} {
			if res := e.get(t, page+p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
			}
		}
		draft, rev := e.create(t, article.Draft{Title: "Never Published", Body: "Not yet.", Attribution: "HEN"})
		if err := e.pub.Submit(t.Context(), workflow.System, draft.ID, rev.ID); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/versions", "/versions/1", "/versions/1/changes"} {
			if res := e.get(t, "/articles/"+draft.Slug+p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s of an article never published = %d, want 404", p, res.StatusCode)
			}
		}
		if res := e.get(t, "/articles/"+draft.Slug, "Accept-Datetime", "Fri, 21 Aug 2026 12:00:00 GMT"); res.StatusCode != http.StatusNotFound {
			t.Errorf("TimeGate of an article never published = %d, want 404", res.StatusCode)
		}

		// The list of versions, for people.
		list := e.page(t, page+"/versions", http.StatusOK).Find(`[data-testid="versions"] li`)
		if list.Length() != len(at) || !strings.Contains(text(list.Eq(1)), "Version 2, August 21, 2026 (Correction): "+correctionNote+" What changed") {
			t.Errorf("versions list = %q", text(list))
		}
	})
}

// TestMemento follows RFC 7089's examples: the page is the Original
// Resource and its own TimeGate (section 4.1.1, pattern 2.1), and its
// TimeMap is served as application/link-format (section 5.1.1).
func TestMemento(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		corrected(t, e)
		page := "/articles/" + seedSlug
		orig := e.get(t, page)
		if !strings.Contains(orig.Header.Get("Vary"), "Accept-Datetime") ||
			!strings.Contains(orig.Header.Get("Link"), `<`+baseURL+page+`/versions>; rel="timemap"; type="application/link-format"`) {
			t.Errorf("the original resource: Vary %q, Link %q", orig.Header.Get("Vary"), orig.Header.Get("Link"))
		}

		tests := []struct {
			name, datetime string
			version        string
		}{
			{"before the first version: the first", "Thu, 31 May 2007 20:35:00 GMT", "1"},
			{"the moment version 1 went live", "Thu, 20 Aug 2026 09:30:00 GMT", "1"},
			{"between versions 2 and 3", "Fri, 21 Aug 2026 20:35:00 GMT", "2"},
			{"the moment version 3 went live", "Sat, 22 Aug 2026 09:30:00 GMT", "3"},
			{"after the last: the last", "Tue, 01 Dec 2026 00:00:00 GMT", "4"},
		}
		for _, tt := range tests {
			res := e.get(t, page, "Accept-Datetime", tt.datetime)
			if res.StatusCode != http.StatusFound || res.Header.Get("Location") != baseURL+page+"/versions/"+tt.version {
				t.Errorf("%s: %d to %q, want 302 to version %s", tt.name, res.StatusCode, res.Header.Get("Location"), tt.version)
			}
			if !strings.EqualFold(res.Header.Get("Vary"), "accept-datetime") {
				t.Errorf("%s: Vary %q", tt.name, res.Header.Get("Vary"))
			}
			link := res.Header.Get("Link")
			if !strings.Contains(link, `<`+res.Header.Get("Location")+`>; rel="`) {
				t.Errorf("%s: Link does not name the memento it redirects to: %s", tt.name, link)
			}
			for _, rel := range []string{`rel="original timegate"`, `rel="timemap"`, `rel="first`, `rel="last`} {
				if !strings.Contains(link, rel) {
					t.Errorf("%s: Link lacks %s: %s", tt.name, rel, link)
				}
			}
		}
		for _, bad := range []string{"yesterday", "2026-08-21", "Fri, 21 Aug 2026 25:00:00 GMT"} {
			res := e.get(t, page, "Accept-Datetime", bad)
			if msg := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(msg, "Accept-Datetime must be an HTTP date") {
				t.Errorf("Accept-Datetime %q: %d\n%s", bad, res.StatusCode, msg)
			}
		}

		for range 2 {
			res := e.get(t, page+"/versions", "Accept", "application/link-format")
			got, _ := io.ReadAll(res.Body)
			want := `<` + baseURL + page + `>; rel="original timegate",
<` + baseURL + page + `/versions>; rel="self"; type="application/link-format"; from="Thu, 20 Aug 2026 09:30:00 GMT"; until="Sun, 23 Aug 2026 09:30:00 GMT",
<` + baseURL + page + `/versions/1>; rel="first memento"; datetime="Thu, 20 Aug 2026 09:30:00 GMT",
<` + baseURL + page + `/versions/2>; rel="memento"; datetime="Fri, 21 Aug 2026 09:30:00 GMT",
<` + baseURL + page + `/versions/3>; rel="memento"; datetime="Sat, 22 Aug 2026 09:30:00 GMT",
<` + baseURL + page + `/versions/4>; rel="last memento"; datetime="Sun, 23 Aug 2026 09:30:00 GMT"
`
			if res.Header.Get("Content-Type") != "application/link-format" || string(got) != want {
				t.Errorf("TimeMap: %s\n%s", res.Header.Get("Content-Type"), got)
			}
			// The page for people is cached apart from it.
			if html := e.get(t, page+"/versions"); !strings.HasPrefix(html.Header.Get("Content-Type"), "text/html") {
				t.Errorf("TimeMap page: %s", html.Header.Get("Content-Type"))
			}
		}
	})
}

// TestACorrectionMustSayWhatItCorrects: on the desk's publish form, a
// Correction with no Change note comes back 422 naming the field, with
// what was chosen kept, and nothing is published.
func TestACorrectionMustSayWhatItCorrects(t *testing.T) {
	e := newEnv(t)
	editor, _ := e.loggedIn(t, account.Editor)
	head := e.saveUpdate(t, 1, "Internal: checked with legal")
	if err := e.pub.Submit(t.Context(), workflow.System, 1, head.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.pub.Review(t.Context(), workflow.System, 1, head.ID, workflow.Approve, ""); err != nil {
		t.Fatal(err)
	}
	const path = "/desk/articles/1"
	if _, doc := editor.doc(path); doc.Find(`select[name="kind"] option`).Length() != 4 || doc.Find(`textarea[name="change_note"]`).Length() != 1 {
		t.Fatal("the publish form offers no Kind of change and Change note")
	}
	res := act(editor, path, "publish", head.ID, url.Values{"kind": {"correction"}, "change_note": {"  "}})
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(doc.Find("#f-change-note-error")), "Say what the correction corrects") ||
		doc.Find(`select[name="kind"] option[selected]`).AttrOr("value", "") != "correction" {
		t.Errorf("a correction without a note: %d, %q", res.StatusCode, text(doc.Find(".field-error")))
	}
	if res := act(editor, path, "publish", head.ID, url.Values{"kind": {"retraction"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown kind of change: %d, want 422", res.StatusCode)
	}
	if p := e.seed(t); p.Revision.ID == head.ID {
		t.Error("a refused correction was published")
	}

	// The note is prefilled with the revision's; cleared, readers are told
	// of the update without one.
	if _, doc := editor.doc(path); text(doc.Find(`textarea[name="change_note"]`)) != "Internal: checked with legal" {
		t.Error("the Change note is not prefilled with the revision's")
	}
	wantStatus(t, act(editor, path, "publish", head.ID, url.Values{"kind": {"update"}, "change_note": {""}}), http.StatusSeeOther, "publish with the note cleared")
	if p := e.seed(t); len(p.Updates) != 1 || p.Updates[0].Note != "" {
		t.Errorf("updates after publishing with the note cleared: %+v", p.Updates)
	}
}
