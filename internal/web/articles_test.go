package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
)

func articleForm(title, body string) url.Values {
	return url.Values{
		"title": {title}, "body": {body}, "attribution": {"History Editorial Network (HEN)"},
		"event_date": {"1929-02-10"}, "reference_title": {"Trotsky"}, "reference_url": {"https://en.wikipedia.org/wiki/Leon_Trotsky"},
		"categories": {"1"}, "subjects": {"2"}, "change_note": {"first draft"},
	}
}

// createArticle creates an article through the desk and returns its desk path.
func createArticle(t *testing.T, c *client, title string) string {
	t.Helper()
	res := c.post("/desk/articles/new", "/desk/articles", articleForm(title, "Trotsky was exiled in 1929."))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create article = %d: %s", res.StatusCode, body(t, res))
	}
	return res.Header.Get("Location")
}

func save(c *client, path string, base int, form url.Values) *http.Response {
	form.Set("base", strconv.Itoa(base))
	return c.post("/desk", path+"/edit", form)
}

func TestEveryRevisionIsKeptComparedAndRestorable(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Editor)
	path := createArticle(t, c, "Trotsky Exiled")
	if !strings.HasPrefix(path, "/desk/articles/") {
		t.Fatalf("created article at %q", path)
	}
	_, doc := c.doc(path)
	if got := text(doc.Find(`[data-testid="state"]`)); got != "Draft" {
		t.Errorf("new article state = %q, want Draft", got)
	}
	if res := e.get(t, "/articles/trotsky-exiled"); res.StatusCode != http.StatusNotFound {
		t.Errorf("reader sees the draft: %d", res.StatusCode)
	}

	second := articleForm("Trotsky Expelled", "Trotsky was expelled in 1929.")
	second.Set("change_note", "sharper verb")
	if res := save(c, path, 1, second); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second save = %d: %s", res.StatusCode, body(t, res))
	}
	_, history := c.doc(path + "/history")
	if rows := history.Find(`[data-testid="history"] tbody tr`).Length(); rows != 2 {
		t.Fatalf("history has %d revisions, want 2", rows)
	}
	if !strings.Contains(text(history.Find(`[data-testid="history"]`)), "sharper verb") {
		t.Error("history does not show the change note")
	}

	res, cmp := c.doc(path + "/compare?from=1&to=2")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("compare = %d", res.StatusCode)
	}
	if got := text(cmp.Find(`[data-testid="diff"] del`).First()); got != "Exiled" {
		t.Errorf("first deletion = %q, want Exiled (title)", got)
	}
	if got := text(cmp.Find(`[data-testid="diff"] ins`).First()); got != "Expelled" {
		t.Errorf("first insertion = %q, want Expelled (title)", got)
	}

	res = c.post(path+"/revisions/1", path+"/revisions/1/restore", url.Values{"base": {"2"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore = %d: %s", res.StatusCode, body(t, res))
	}
	_, rev3 := c.doc(path + "/revisions/3")
	if got := text(rev3.Find(`[data-testid="title"]`)); got != "Trotsky Exiled" {
		t.Errorf("restored revision 3 title = %q, want the title of revision 1", got)
	}
	_, audit := c.doc(path + "/audit")
	log := text(audit.Find(`[data-testid="audit"]`))
	for _, want := range []string{"Created the article", "Saved a revision", "Restored a revision"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q: %s", want, log)
		}
	}
}

func TestConflictLosesNothing(t *testing.T) {
	e := newEnv(t)
	first, _ := e.loggedIn(t, account.Editor)
	second, _ := e.loggedIn(t, account.Reviewer)
	path := createArticle(t, first, "Trotsky Exiled")

	if res := save(first, path, 1, articleForm("Trotsky Exiled", "First editor's text.")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save = %d", res.StatusCode)
	}
	mine := articleForm("Trotsky Exiled", "Second editor's precious paragraph.")
	res := save(second, path, 1, mine)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale save = %d, want 409", res.StatusCode)
	}
	page := body(t, res)
	if !strings.Contains(page, "Second editor&#39;s precious paragraph.") {
		t.Error("the conflict page lost the editor's text")
	}
	if !strings.Contains(page, `data-testid="conflict"`) || !strings.Contains(page, `name="base" value="2"`) {
		t.Error("the conflict page does not offer to save on top of revision 2")
	}
	_, history := second.doc(path + "/history")
	if rows := history.Find(`[data-testid="history"] tbody tr`).Length(); rows != 2 {
		t.Errorf("after a refused save there are %d revisions, want 2", rows)
	}
	if res := save(second, path, 2, mine); res.StatusCode != http.StatusSeeOther {
		t.Errorf("saving on top of the newest = %d", res.StatusCode)
	}
}

func TestArticleFormRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Editor)
	createArticle(t, c, "Taken Title")
	tests := []struct {
		name    string
		change  func(url.Values)
		message string
	}{
		{"empty title", func(v url.Values) { v.Set("title", " ") }, "Enter a title."},
		{"malformed slug", func(v url.Values) { v.Set("slug", "Bad Slug!") }, "Use lowercase letters"},
		{"taken slug", func(v url.Values) { v.Set("slug", "taken-title") }, "already uses this slug"},
		{"javascript reference", func(v url.Values) { v.Set("reference_url", "javascript:alert(1)") }, "starting with http:// or https://"},
		{"data reference", func(v url.Values) { v.Set("reference_url", "data:text/html,x") }, "starting with http:// or https://"},
		{"unparsable event date", func(v url.Values) { v.Set("event_date", "20/08/1940") }, "YYYY-MM-DD"},
		{"unknown category", func(v url.Values) { v.Set("categories", "999") }, "not one of them"},
		{"non-numeric subject", func(v url.Values) { v.Set("subjects", "stalin") }, "Choose subjects from the list."},
		{"body over 1 MiB", func(v url.Values) { v.Set("body", strings.Repeat("word ", 220_000)) }, "1 MiB"},
		{"a table 1,000 columns wide", func(v url.Values) {
			v.Set("body", "|"+strings.Repeat(" a |", 1000)+"\n|"+strings.Repeat("-|", 1000)+"\n"+strings.Repeat("|\n", 10_000))
		}, "Quire renders at most 64"},
		{"quotes nested 160,000 deep", func(v url.Values) { v.Set("body", strings.Repeat(">", 160_000)) }, "inside each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := articleForm("Kept Title", "Kept body text.")
			tt.change(form)
			res := c.post("/desk/articles/new", "/desk/articles", form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422", res.StatusCode)
			}
			page := body(t, res)
			if !strings.Contains(page, tt.message) {
				t.Errorf("page lacks %q", tt.message)
			}
			if tt.name != "empty title" && !strings.Contains(page, `value="Kept Title"`) {
				t.Error("the form lost the title")
			}
		})
	}
	huge := articleForm("Huge", strings.Repeat("x", 3<<20))
	if res := c.post("/desk/articles/new", "/desk/articles", huge); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MiB request = %d, want 413", res.StatusCode)
	}
}

func TestHostilePayloadsAreEscapedEverywhere(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Editor)
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	form := articleForm("Title "+evil, "Body "+evil+"\n\n[x](javascript:alert(3))")
	form.Set("dek", evil)
	form.Set("change_note", evil)
	res := c.post("/desk/articles/new", "/desk/articles", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	second := articleForm("Title two "+evil, "Body two "+evil)
	save(c, path, 1, second)
	for _, p := range []string{path, path + "/history", path + "/preview", path + "/revisions/1", path + "/compare?from=1&to=2", path + "/audit", "/desk/articles", path + "/edit"} {
		page := body(t, c.get(p))
		for _, bad := range []string{"<script>alert", "<img src=x onerror", `href="javascript:`} {
			if strings.Contains(page, bad) {
				t.Errorf("%s contains %q unescaped", p, bad)
			}
		}
	}
}

func TestEditingALiveArticleKeepsTheLivePage(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Editor)
	_, list := c.doc("/desk/articles")
	href := list.Find(`[data-testid="articles"] a`).First().AttrOr("href", "")
	form := articleForm("A Forward Revision", "Not yet for readers.")
	form.Set("slug", seedSlug)
	if res := save(c, href, 1, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save on the live article = %d: %s", res.StatusCode, body(t, res))
	}
	doc := e.page(t, "/articles/"+seedSlug, http.StatusOK)
	if got := text(doc.Find("h1")); got != "Trotsky's Assassination Ends Stalin's Opposition" {
		t.Errorf("live page title = %q after a forward revision", got)
	}
	_, overview := c.doc(href)
	if got := text(overview.Find(`[data-testid="state"]`)); got != "Live · changes pending" {
		t.Errorf("desk state = %q", got)
	}
}

func TestRevisionsOfOtherArticlesAreNotFound(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Editor)
	path := createArticle(t, c, "Only One Revision")
	for _, p := range []string{path + "/revisions/2", path + "/revisions/0", path + "/revisions/x", "/desk/articles/999999", "/desk/articles/abc/history", path + "/compare?from=1&to=9"} {
		if res := c.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
		}
	}
	if res := save(c, "/desk/articles/999999", 1, articleForm("X", "Y")); res.StatusCode != http.StatusNotFound {
		t.Errorf("save to a missing article = %d, want 404", res.StatusCode)
	}
}

func TestArticleListFilters(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Editor)
	createArticle(t, c, "Kronstadt Rebellion")
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Kronstadt Rebellion", "Trotsky's Assassination"}},
		{"?mine=1", []string{"Kronstadt Rebellion"}},
		{"?state=live", []string{"Trotsky's Assassination"}},
		{"?state=draft", []string{"Kronstadt Rebellion"}},
		{"?q=kronstadt", []string{"Kronstadt Rebellion"}},
		{"?q=%25", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			_, doc := c.doc("/desk/articles" + tt.query)
			got := text(doc.Find(`[data-testid="articles"] tbody`))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("list lacks %q: %s", w, got)
				}
			}
			if len(tt.want) == 1 && strings.Count(got, "revision") != 1 {
				t.Errorf("list has other articles: %s", got)
			}
		})
	}
	if res := c.get("/desk/articles?state=bogus"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown state = %d", res.StatusCode)
	}
}

func TestEditFormKeepsTheOrderOfCategories(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Editor)
	_, doc := c.doc("/desk/articles/1/edit")
	var checked []string
	doc.Find(`input[name="categories"][checked]`).Each(func(_ int, s *goquery.Selection) {
		checked = append(checked, text(s.Parent()))
	})
	// The seed reads "Politics | Biography"; saving the form unchanged must not reorder it.
	if got := strings.Join(checked, " | "); got != "Politics | Biography" {
		t.Errorf("checked categories in page order = %q", got)
	}
}
