package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
)

// decode reads a JSON answer, failing the test unless it has status.
func decode(t *testing.T, res *http.Response, status int, into any) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status = %d, want %d: %s", res.StatusCode, status, body(t, res))
	}
	if err := json.NewDecoder(res.Body).Decode(into); err != nil {
		t.Fatal(err)
	}
}

func TestScratchCopiesAreTheirEditorsAlone(t *testing.T) {
	e := newEnv(t)
	ana, _ := e.loggedIn(t, account.Editor)
	path := createArticle(t, ana, "Scratch pad")
	form := articleForm("Scratch pad, rewritten", "A sentence only Ana has typed: quillwort.")
	form.Set("base", "1")

	var kept struct{ Kept, At string }
	decode(t, ana.post(path+"/edit", path+"/scratch", form), http.StatusOK, &kept)
	if kept.Kept == "" {
		t.Fatal("no time in the scratch answer")
	}
	if res := ana.post(path+"/edit", path+"/scratch", form); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("a second keep at once = %d, want 429 with Retry-After", res.StatusCode)
	}

	// Nobody else sees it: not another editor, not readers, not history or search.
	bo := e.loggedInAs(t, account.Editor, "bo@hen.example")
	for _, p := range []string{path + "/edit", path, path + "/history", path + "/preview", path + "/audit"} {
		if page := body(t, bo.get(p)); strings.Contains(page, "quillwort") || strings.Contains(page, "Restore unsaved changes") {
			t.Errorf("another editor sees the scratch copy on %s", p)
		}
	}
	for _, p := range []string{path + "/history", path + "/preview", path} {
		if strings.Contains(body(t, ana.get(p)), "quillwort") {
			t.Errorf("%s shows the scratch copy as if it were a revision", p)
		}
	}
	if strings.Contains(body(t, e.get(t, "/search?q=quillwort")), "Scratch pad") || strings.Contains(body(t, e.get(t, "/feed.xml")), "quillwort") {
		t.Error("readers can find the scratch copy")
	}

	// Its editor is offered it back, and Restore fills the form, unsaved.
	_, edit := ana.doc(path + "/edit")
	if edit.Find(`[data-testid="kept"] button:contains("Restore unsaved changes")`).Length() != 1 ||
		edit.Find(`[data-testid="kept"] button:contains("Discard them")`).Length() != 1 {
		t.Fatal("the edit form does not offer the kept changes")
	}
	res := ana.post(path+"/edit", path+"/scratch/restore", nil)
	restored, _ := goquery.NewDocumentFromReader(res.Body)
	if res.StatusCode != http.StatusOK || restored.Find(`textarea[name="body"]`).Text() != "A sentence only Ana has typed: quillwort." ||
		restored.Find(`input[name="title"]`).AttrOr("value", "") != "Scratch pad, rewritten" || restored.Find(`[data-testid="unsaved"]`).Length() != 1 {
		t.Fatalf("restore = %d, the form does not hold the kept text", res.StatusCode)
	}
	if revs, _ := e.store.Revisions(t.Context(), articleIDOf(t, path)); len(revs) != 1 {
		t.Errorf("restoring saved a revision: %d revisions", len(revs))
	}

	// Saving a revision ends the scratch copy.
	if res := save(ana, path, 1, articleForm("Scratch pad, saved", "Saved now.")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", res.StatusCode)
	}
	if _, edit := ana.doc(path + "/edit"); edit.Find(`[data-testid="kept"]`).Length() != 0 {
		t.Error("the edit form still offers changes that were saved")
	}

	// Discard deletes a new article's scratch copy; both choices are audited.
	time.Sleep(2 * time.Second) // the pace between keeps
	fresh := articleForm("A new one", "Not yet saved.")
	fresh.Set("base", "0")
	decode(t, ana.post("/desk/articles/new", "/desk/articles/new/scratch", fresh), http.StatusOK, &kept)
	if _, fresh := ana.doc("/desk/articles/new"); fresh.Find(`[data-testid="kept"]`).Length() != 1 {
		t.Fatal("New article does not offer the kept changes")
	}
	if res := ana.post("/desk/articles/new", "/desk/articles/new/scratch/discard", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("discard = %d", res.StatusCode)
	}
	if _, fresh := ana.doc("/desk/articles/new"); fresh.Find(`[data-testid="kept"]`).Length() != 0 {
		t.Error("discarded changes are still offered")
	}
	events, _, err := e.store.AuditLog(t.Context(), 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, ev := range events {
		if strings.HasPrefix(string(ev.Action), "scratch.") {
			said = append(said, string(ev.Action))
		}
	}
	if strings.Join(said, " ") != "scratch.discarded scratch.restored" {
		t.Errorf("audited %v, want one restore and one discard", said)
	}
}

func TestPresenceAndNewerRevisions(t *testing.T) {
	e := newEnv(t)
	ana, anaAccount := e.loggedIn(t, account.Editor)
	bo := e.loggedInAs(t, account.Editor, "bo@hen.example")
	path := createArticle(t, ana, "Two at once")
	type presence struct {
		Others []struct{ Name, Since string }
		Head   struct {
			Number     int
			Author, At string
			Compare    string
		}
	}
	at := func(c *client) presence {
		var p presence
		decode(t, c.post(path+"/edit", path+"/presence", url.Values{"base": {"1"}}), http.StatusOK, &p)
		return p
	}
	if p := at(ana); len(p.Others) != 0 || p.Head.Number != 1 {
		t.Errorf("alone: %+v", p)
	}
	if p := at(bo); len(p.Others) != 1 || p.Others[0].Name != anaAccount.Name || p.Others[0].Since == "" {
		t.Errorf("Bo sees %+v, want Ana editing", p.Others)
	}
	if res := bo.post(path+"/edit", path+"/presence", url.Values{"base": {"1"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a second presence at once = %d, want 429", res.StatusCode)
	}
	// Bo saves; Ana's next sign of life learns of revision 2 before she saves.
	if res := save(bo, path, 1, articleForm("Two at once, by Bo", "Bo's words.")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", res.StatusCode)
	}
	time.Sleep(5 * time.Second)
	p := at(ana)
	if p.Head.Number != 2 || p.Head.Author != "bo" || !strings.HasSuffix(p.Head.Compare, "/compare?from=1&to=2") {
		t.Errorf("Ana learns %+v, want revision 2 by Bo with a comparison from 1", p.Head)
	}
	// Leaving takes Ana off the list at once.
	if res := ana.post(path+"/edit", path+"/presence/leave", nil); res.StatusCode != http.StatusNoContent {
		t.Errorf("leave = %d", res.StatusCode)
	}
	if p := at(bo); len(p.Others) != 0 {
		t.Errorf("after Ana left Bo sees %+v", p.Others)
	}
}

func TestLivePreview(t *testing.T) {
	e := newEnv(t)
	ed, _ := e.loggedIn(t, account.Editor)
	var p struct {
		HTML    string
		Words   int
		Minutes int
		Error   string
	}
	form := url.Values{"title": {"Preview me"}, "body": {"One **two** three. <script>alert(1)</script> <img src=x onerror=alert(2)>"}}
	decode(t, ed.post("/desk/articles/new", "/desk/articles/preview", form), http.StatusOK, &p)
	if !strings.Contains(p.HTML, "<strong>two</strong>") || !strings.Contains(p.HTML, "Preview me") || strings.Contains(p.HTML, "<script>alert") ||
		strings.Contains(p.HTML, "onerror") || p.Words != 4 || p.Minutes != 1 {
		t.Errorf("preview = %+v", p)
	}
	time.Sleep(600 * time.Millisecond)
	decode(t, ed.post("/desk/articles/new", "/desk/articles/preview", url.Values{"body": {strings.Repeat("[", 5000)}}), http.StatusUnprocessableEntity, &p)
	if p.Error == "" {
		t.Error("a body the renderer refuses gets no reason")
	}
	if res := e.client(t).post("", "/desk/articles/preview", form); res.StatusCode == http.StatusOK {
		t.Error("the preview answers without a login")
	}
}

// loggedInAs returns a client logged in as a new account with role and
// email (its name is the email's local part).
func (e env) loggedInAs(t *testing.T, role account.Role, email string) *client {
	t.Helper()
	a := e.account(t, role, email)
	c := e.client(t)
	if res := c.login(a.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s = %d", email, res.StatusCode)
	}
	return c
}
