package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
)

// act presses a workflow button on the article at path: it posts to
// path/action with the revision the overview names (or rev, if not zero).
func act(c *client, path, action string, rev int64, form url.Values) *http.Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if rev == 0 {
		rev = revisionOnPage(c, path)
	}
	form.Set("revision", strconv.FormatInt(rev, 10))
	return c.post(path, path+"/"+action, form)
}

// revisionOnPage is the revision id the workflow forms on path name.
func revisionOnPage(c *client, path string) int64 {
	c.t.Helper()
	_, doc := c.doc(path)
	id, err := strconv.ParseInt(doc.Find(`input[name="revision"]`).First().AttrOr("value", ""), 10, 64)
	if err != nil {
		c.t.Fatalf("no revision named on %s", path)
	}
	return id
}

// decide posts a review decision on the article at path, for revision rev
// (or the one the review page names, if zero).
func decide(c *client, path, decision, comment string, rev int64) *http.Response {
	c.t.Helper()
	if rev == 0 {
		rev = revisionOnPage(c, path+"/review")
	}
	return c.post(path+"/review", path+"/review", url.Values{"revision": {strconv.FormatInt(rev, 10)}, "decision": {decision}, "comment": {comment}})
}

func wantStatus(t *testing.T, res *http.Response, want int, what string) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s = %d, want %d: %s", what, res.StatusCode, want, body(t, res))
	}
}

func dates(t *testing.T, doc *goquery.Document) (published, updated string) {
	t.Helper()
	times := doc.Find(`[data-testid="dates"] time`)
	if times.Length() != 2 {
		t.Fatalf("article shows %d dates, want Published and Updated", times.Length())
	}
	return times.Eq(0).AttrOr("datetime", ""), times.Eq(1).AttrOr("datetime", "")
}

func TestReviewAndPublishLoop(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		editor, _ := e.loggedIn(t, account.Editor)
		reviewer, _ := e.loggedIn(t, account.Reviewer)
		path := createArticle(t, editor, "Trotsky Exiled to Alma-Ata")
		slug := "/articles/trotsky-exiled-to-alma-ata"

		rev1 := revisionOnPage(editor, path)
		wantStatus(t, act(editor, path, "submit", rev1, nil), http.StatusSeeOther, "submit")
		_, dash := reviewer.doc("/desk")
		if got := text(dash.Find(`[data-testid="to-review"] a`)); got != "Trotsky Exiled to Alma-Ata" {
			t.Errorf("reviewer's dashboard waiting for review = %q", got)
		}

		// The editor who wrote it cannot approve it: no button, and the server
		// refuses a forged request.
		_, page := editor.doc(path + "/review")
		if page.Find(`button[value="approve"]`).Length() != 0 {
			t.Error("the author is offered Approve")
		}
		if got := text(page.Find(`[data-testid="why-not"]`)); !strings.Contains(got, "Only reviewers and admins") {
			t.Errorf("why the editor may not review = %q", got)
		}
		wantStatus(t, act(editor, path, "review", rev1, url.Values{"decision": {"approve"}}), http.StatusForbidden, "editor approving")

		// Asking for changes needs a comment; the author sees it.
		wantStatus(t, decide(reviewer, path, "", "", 0), http.StatusUnprocessableEntity, "review without a decision")
		wantStatus(t, decide(reviewer, path, "changes", "", rev1), http.StatusUnprocessableEntity, "request changes without a comment")
		wantStatus(t, decide(reviewer, path, "changes", "Say where Alma-Ata is.", rev1), http.StatusSeeOther, "request changes")
		_, dash = editor.doc("/desk")
		if got := text(dash.Find(`[data-testid="returned"] a`)); got != "Trotsky Exiled to Alma-Ata" {
			t.Errorf("editor's dashboard changes requested = %q", got)
		}
		_, overview := editor.doc(path)
		if got := text(overview.Find(`[data-testid="reviews"] blockquote`)); got != "Say where Alma-Ata is." {
			t.Errorf("comment the author sees = %q", got)
		}
		wantStatus(t, act(editor, path, "submit", rev1, nil), http.StatusConflict, "resubmitting the unchanged revision")

		// The editor fixes it and resubmits; the reviewer approves.
		wantStatus(t, save(editor, path, 1, articleForm("Trotsky Exiled to Alma-Ata", "Trotsky was exiled to Alma-Ata, in Kazakhstan.")), http.StatusSeeOther, "save the fix")
		wantStatus(t, act(editor, path, "submit", 0, nil), http.StatusSeeOther, "resubmit")
		rev2 := revisionOnPage(reviewer, path+"/review")
		wantStatus(t, decide(reviewer, path, "approve", "", rev1), http.StatusConflict, "approving the superseded revision")
		wantStatus(t, decide(reviewer, path, "approve", "", rev2), http.StatusSeeOther, "approve")

		// Nothing is public until the editor publishes.
		if res := e.get(t, slug); res.StatusCode != http.StatusNotFound {
			t.Fatalf("approved but unpublished article = %d, want 404", res.StatusCode)
		}
		wantStatus(t, act(editor, path, "publish", 0, url.Values{"minor": {"1"}}), http.StatusUnprocessableEntity, "a first publication marked minor")
		wantStatus(t, act(editor, path, "publish", 0, nil), http.StatusSeeOther, "publish")
		doc := e.page(t, slug, http.StatusOK)
		if got := text(doc.Find(`[data-testid="body"]`)); got != "Trotsky was exiled to Alma-Ata, in Kazakhstan." {
			t.Errorf("reader sees %q", got)
		}
		published, updated := dates(t, doc)
		if published != updated {
			t.Errorf("first publication: Published %s, Updated %s", published, updated)
		}
		if doc.Find(`[data-testid="updates"]`).Length() != 0 {
			t.Error("a first publication lists updates")
		}
		wantStatus(t, act(editor, path, "publish", rev2, nil), http.StatusConflict, "publishing again what is live")

		// An update goes through review too; readers keep the live text until
		// it is published, then Updated moves, Published stays, and the update
		// log says what changed.
		update := articleForm("Trotsky Exiled to Alma-Ata", "Trotsky was exiled to Alma-Ata in January 1928.")
		update.Set("change_note", "Corrected the date of the exile")
		wantStatus(t, save(editor, path, 2, update), http.StatusSeeOther, "save an update")
		if got := text(e.page(t, slug, http.StatusOK).Find(`[data-testid="body"]`)); !strings.Contains(got, "Kazakhstan") {
			t.Errorf("reader sees the unpublished update: %q", got)
		}
		wantStatus(t, act(editor, path, "publish", 0, nil), http.StatusConflict, "publishing an unapproved update")
		wantStatus(t, act(editor, path, "submit", 0, nil), http.StatusSeeOther, "submit update")
		wantStatus(t, decide(reviewer, path, "approve", "", 0), http.StatusSeeOther, "approve update")
		time.Sleep(1100 * time.Millisecond) // so that Updated can be told apart from Published to the second
		wantStatus(t, act(editor, path, "publish", 0, nil), http.StatusSeeOther, "publish update")
		doc = e.page(t, slug, http.StatusOK)
		p2, u2 := dates(t, doc)
		if p2 != published || u2 == updated {
			t.Errorf("after an update: Published %s → %s, Updated %s → %s", published, p2, updated, u2)
		}
		if got := text(doc.Find(`[data-testid="updates"] li`)); !strings.HasSuffix(got, ": Corrected the date of the exile What changed") {
			t.Errorf("update log = %q", got)
		}

		// A minor correction moves neither date and is not announced.
		typo := articleForm("Trotsky Exiled to Alma-Ata", "Trotsky was exiled to Alma-Ata in January 1928")
		typo.Set("change_note", "Typo")
		wantStatus(t, save(editor, path, 3, typo), http.StatusSeeOther, "save typo fix")
		wantStatus(t, act(editor, path, "submit", 0, nil), http.StatusSeeOther, "submit typo fix")
		wantStatus(t, decide(reviewer, path, "approve", "", 0), http.StatusSeeOther, "approve typo fix")
		wantStatus(t, act(editor, path, "publish", 0, url.Values{"minor": {"1"}}), http.StatusSeeOther, "publish minor correction")
		doc = e.page(t, slug, http.StatusOK)
		p3, u3 := dates(t, doc)
		if p3 != p2 || u3 != u2 {
			t.Errorf("a minor correction moved the dates: %s/%s → %s/%s", p2, u2, p3, u3)
		}
		if n := doc.Find(`[data-testid="updates"] li`).Length(); n != 1 {
			t.Errorf("update log has %d entries after a minor correction, want 1", n)
		}

		// The audit log tells the story.
		_, log := editor.doc(path + "/audit")
		var story []string
		log.Find(`[data-testid="audit"] tbody tr td:nth-child(3)`).Each(func(_ int, s *goquery.Selection) {
			story = append([]string{text(s)}, story...)
		})
		want := "Created the article, Submitted for review, Requested changes, Saved a revision, Submitted for review, Approved, Published, " +
			"Saved a revision, Submitted for review, Approved, Published, Saved a revision, Submitted for review, Approved, Published"
		if got := strings.Join(story, ", "); got != want {
			t.Errorf("audit log:\n got %s\nwant %s", got, want)
		}
	})
}

func TestTamperedAndReplayedWorkflowRequests(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		editor, _ := e.loggedIn(t, account.Editor)
		reviewer, _ := e.loggedIn(t, account.Reviewer)
		path := createArticle(t, editor, "Kronstadt Rebellion")
		other := createArticle(t, editor, "Lenin Dies")
		otherRev := revisionOnPage(editor, other)
		wantStatus(t, act(editor, path, "submit", 0, nil), http.StatusSeeOther, "submit")

		rev := revisionOnPage(reviewer, path+"/review")
		wantStatus(t, decide(reviewer, path, "approve", "", otherRev), http.StatusNotFound, "approving a revision of another article")
		wantStatus(t, reviewer.post(path+"/review", path+"/review", url.Values{"revision": {"abc"}, "decision": {"approve"}}),
			http.StatusUnprocessableEntity, "approving without a revision id")
		wantStatus(t, decide(reviewer, path, "approve", "", rev), http.StatusSeeOther, "approve")
		wantStatus(t, decide(reviewer, path, "approve", "", rev), http.StatusConflict, "replayed approval")

		wantStatus(t, act(editor, path, "publish", otherRev, nil), http.StatusNotFound, "publishing a revision of another article")
		wantStatus(t, act(editor, path, "schedule", 0, url.Values{"publish_at": {"2001-01-01T09:00"}}), http.StatusUnprocessableEntity, "scheduling in the past")
		res := act(editor, path, "schedule", 0, url.Values{"publish_at": {"next tuesday"}})
		wantStatus(t, res, http.StatusUnprocessableEntity, "scheduling at nonsense")
		if !strings.Contains(body(t, res), "Enter a date and time") {
			t.Error("the Publish at field does not say what is wrong")
		}
		if got, _ := e.store.PendingSchedules(t.Context(), 10); len(got) != 0 {
			t.Fatalf("a refused schedule was saved: %+v", got)
		}

		// Saving after approval: the approved revision is superseded, and a
		// replayed Publish for it is refused.
		approved := revisionOnPage(editor, path)
		wantStatus(t, save(editor, path, 1, articleForm("Kronstadt Rebellion", "Sailors rose in March 1921.")), http.StatusSeeOther, "save after approval")
		res = act(editor, path, "publish", approved, nil)
		wantStatus(t, res, http.StatusConflict, "publishing a superseded revision")
		if !strings.Contains(body(t, res), "revision 2 was saved after it") {
			t.Error("the refusal does not say why")
		}
		if res := e.get(t, "/articles/kronstadt-rebellion"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a refused publish went live: %d", res.StatusCode)
		}

		// A reviewer cannot approve their own revision either.
		own := createArticle(t, reviewer, "Reviewer's Own Piece")
		ownRev := revisionOnPage(reviewer, own)
		wantStatus(t, act(reviewer, own, "submit", ownRev, nil), http.StatusSeeOther, "reviewer submits own")
		_, page := reviewer.doc(own + "/review")
		if got := text(page.Find(`[data-testid="why-not"]`)); !strings.Contains(got, "someone else must review") {
			t.Errorf("why a reviewer may not review their own = %q", got)
		}
		wantStatus(t, decide(reviewer, own, "approve", "", ownRev), http.StatusForbidden, "approving one's own revision")

		// An editor cannot use admin pages.
		for _, p := range []string{"/desk/audit", "/desk/users"} {
			if res := editor.get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("editor GET %s = %d, want 403", p, res.StatusCode)
			}
		}
	})
}

func TestScheduleAndUnpublishOverHTTP(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		editor, _ := e.loggedIn(t, account.Editor)
		reviewer, _ := e.loggedIn(t, account.Reviewer)
		path := createArticle(t, editor, "Moscow Trials Begin")
		slug := "/articles/moscow-trials-begin"
		wantStatus(t, act(editor, path, "submit", 0, nil), http.StatusSeeOther, "submit")
		wantStatus(t, decide(reviewer, path, "approve", "", 0), http.StatusSeeOther, "approve")

		at := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Minute)
		wantStatus(t, act(editor, path, "schedule", 0, url.Values{"publish_at": {at.Format("2006-01-02T15:04")}}), http.StatusSeeOther, "schedule")
		_, overview := editor.doc(path)
		if got := text(overview.Find(`[data-testid="state"]`)); got != "Scheduled" {
			t.Errorf("state = %q, want Scheduled", got)
		}
		if got := text(overview.Find(`[data-testid="schedule"]`)); !strings.Contains(got, at.Format("2 Jan 2006 15:04 UTC")) {
			t.Errorf("schedule shown as %q, want the time in the network's zone", got)
		}
		_, dash := editor.doc("/desk")
		if got := text(dash.Find(`[data-testid="scheduled"] a`)); got != "Moscow Trials Begin" {
			t.Errorf("dashboard scheduled = %q", got)
		}
		if res := e.get(t, slug); res.StatusCode != http.StatusNotFound {
			t.Errorf("scheduled article before its time = %d, want 404", res.StatusCode)
		}
		_, edit := editor.doc(path + "/edit")
		if got := text(edit.Find(`[data-testid="schedule-warning"]`)); !strings.Contains(got, "Saving a new revision cancels that schedule") {
			t.Errorf("the edit page does not warn about the schedule: %q", got)
		}
		if n, err := e.pub.PublishDue(t.Context(), "test", at.Add(time.Second)); err != nil || n != 1 {
			t.Fatalf("PublishDue() = %d, %v", n, err)
		}
		first := e.page(t, slug, http.StatusOK)
		published, _ := dates(t, first)
		if published != at.Add(time.Second).Format(time.RFC3339) {
			t.Errorf("Published = %s, want the moment the schedule ran", published)
		}

		// Unpublish: 410 with a notice, gone from every listing.
		wantStatus(t, act(editor, path, "unpublish", 0, nil), http.StatusSeeOther, "unpublish")
		res := e.get(t, slug)
		if res.StatusCode != http.StatusGone || !strings.Contains(body(t, res), "withdrawn") {
			t.Errorf("unpublished article = %d, want 410 with a notice", res.StatusCode)
		}
		for _, p := range []string{"/", "/categories/politics", "/subjects/joseph-stalin"} {
			if strings.Contains(body(t, e.get(t, p)), "Moscow Trials Begin") {
				t.Errorf("%s still lists the unpublished article", p)
			}
		}
		wantStatus(t, act(editor, path, "unpublish", 0, nil), http.StatusConflict, "unpublishing twice")

		// Publishing again brings it back with Published unchanged.
		wantStatus(t, act(editor, path, "publish", 0, nil), http.StatusSeeOther, "bring back")
		again, _ := dates(t, e.page(t, slug, http.StatusOK))
		if again != published {
			t.Errorf("Published moved from %s to %s", published, again)
		}
		if !strings.Contains(body(t, e.get(t, "/")), "Moscow Trials Begin") {
			t.Error("the home page does not list the article brought back")
		}
	})
}

func TestAdminAuditLog(t *testing.T) {
	bothCaches(t, func(t *testing.T, e env) {
		admin, _ := e.loggedIn(t, account.Admin)
		editor, _ := e.loggedIn(t, account.Editor)
		path := createArticle(t, editor, "Stalin's Five-Year Plan")
		wantStatus(t, act(editor, path, "submit", 0, nil), http.StatusSeeOther, "submit")
		_, doc := admin.doc("/desk/audit")
		first := doc.Find(`[data-testid="audit"] tbody tr`).First()
		if got := text(first); !strings.Contains(got, "Submitted for review") || !strings.Contains(got, "Stalin's Five-Year Plan") {
			t.Errorf("newest audit event = %q", got)
		}
		if href := first.Find("a").AttrOr("href", ""); href != path+"/audit" {
			t.Errorf("audit event links to %q", href)
		}
		for _, p := range []string{"/desk/audit?page=0", "/desk/audit?page=99", "/desk/audit?page=x"} {
			if res := admin.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
			}
		}

		// The whole log downloads, oldest first, as quire audit export
		// writes it.
		csvLink := doc.Find(`a[download]`).First().AttrOr("href", "")
		res := admin.get(csvLink)
		rows, err := csv.NewReader(res.Body).ReadAll()
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || len(rows) < 3 || rows[0][0] != "id" {
			t.Fatalf("GET %s = %d %v, %d rows, %v", csvLink, res.StatusCode, res.Header, len(rows), err)
		}
		if last := rows[len(rows)-1]; last[4] != "revision.submitted" || last[6] != "Stalin's Five-Year Plan" {
			t.Errorf("last exported row = %q", last)
		}
		for _, p := range []string{"/desk/audit/export", "/desk/audit/export?format=xml", "/desk/audit/export?format=csv&since=x"} {
			if res := admin.get(p); res.StatusCode != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", p, res.StatusCode)
			}
		}
	})
}
