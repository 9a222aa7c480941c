package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/workflow"
)

// formLabels are the words on screen for each form's fields, by form name:
// DESIGN.md's words, which editors and the browser tests find controls by.
var formLabels = map[string]map[string]string{
	"article": {"title": "Title", "slug": "Slug", "dek": "Dek", "body": "Body", "categories": "Categories", "subjects": "Subjects",
		"event_date": "Event date", "reference_title": "Primary reference title", "reference_url": "Primary reference URL",
		"attribution": "Attribution", "reading_minutes": "Reading time", "change_note": "Change note"},
	"settings": {"name": "Network name", "short_name": "Short name", "attribution": "Default attribution", "tagline": "Tagline",
		"time_zone": "Time zone", "words_per_minute": "Words per minute"},
	"category": {"name": "Name", "slug": "Slug", "description": "Description"},
	"subject":  {"name": "Name", "slug": "Slug", "hub_title": "Hub title", "description": "Description"},
	"account":  {"name": "Name", "email": "Email", "role": "Role", "password": "Password"},
	"password": {"current": "Current password", "new": "New password"},
	"publish":  {"minor": "Minor correction", "publish_at": "Publish at"},
	"review":   {"comment": "Comment"},
	"login":    {"email": "Email", "password": "Password"},
}

// TestFormErrorsSitBesideTheirFields: a refused form comes back with each
// field's error next to the control it is about (described by it, and
// listed at the top linking to it), and every control keeps its label.
// Renaming a label, or a field, fails here rather than hiding an error.
func TestFormErrorsSitBesideTheirFields(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	ed := e.client(t)
	edAccount := e.account(t, account.Editor, "editor-forms@hen.example")
	ed.login(edAccount.Email, testPassword)
	long := strings.Repeat("x", 1200)
	tests := []struct {
		name, form string
		c          *client
		from, to   string
		values     url.Values
		want       []string // the fields that must come back with an error
	}{
		{"article: text fields", "article", ed, "/desk/articles/new", "/desk/articles", url.Values{
			"title": {" "}, "slug": {"Bad Slug!"}, "dek": {long}, "body": {" "}, "event_date": {"20/08/1940"},
			"reference_url": {"javascript:alert(1)"}, "attribution": {""}, "reading_minutes": {"soon"}, "change_note": {long},
		}, []string{"title", "slug", "dek", "body", "event_date", "reference_url", "attribution", "reading_minutes", "change_note"}},
		{"article: choices", "article", ed, "/desk/articles/new", "/desk/articles", url.Values{
			"title": {"Fine"}, "body": {"Fine."}, "attribution": {"HEN"}, "categories": {"x"}, "subjects": {"y"},
		}, []string{"categories", "subjects"}},
		{"settings", "settings", admin, "/desk/settings", "/desk/settings", url.Values{
			"name": {""}, "short_name": {""}, "attribution": {""}, "tagline": {long}, "time_zone": {"Mars/Olympus"}, "words_per_minute": {"fast"},
		}, []string{"name", "short_name", "attribution", "tagline", "time_zone", "words_per_minute"}},
		{"category", "category", admin, "/desk/categories", "/desk/categories", url.Values{
			"name": {""}, "slug": {"Not A Slug"}, "description": {long},
		}, []string{"name", "slug", "description"}},
		{"subject", "subject", admin, "/desk/subjects", "/desk/subjects", url.Values{
			"name": {""}, "slug": {"Not A Slug"}, "hub_title": {long}, "description": {long},
		}, []string{"name", "slug", "hub_title", "description"}},
		{"invitation", "invitation", admin, "/desk/users", "/desk/users", url.Values{
			"name": {""}, "email": {"not-an-email"}, "role": {"owner"},
		}, []string{"name", "email", "role"}},
		{"password", "password", ed, "/desk/account", "/desk/account/password", url.Values{
			"current": {"not my password"}, "new": {"short"},
		}, []string{"current", "new"}},
		{"review", "review", admin, "/desk/articles/1/review", "/desk/articles/1/review", url.Values{
			"revision": {"0"}, "decision": {"changes"}, "comment": {""},
		}, []string{"comment"}},
		{"schedule", "publish", admin, "/desk/articles/1", "/desk/articles/1/schedule", url.Values{
			"revision": {"0"}, "publish_at": {"next week"},
		}, []string{"publish_at"}},
	}
	// The demo article gets a new revision waiting for review: the review
	// form asks for a comment; once it is approved, the overview offers
	// Publish, with Minor correction and Publish at.
	next := e.saveUpdate(t, 1, "")
	if err := e.pub.Submit(t.Context(), workflow.System, 1, next.ID); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.form == "publish" {
				reviewer := e.account(t, account.Reviewer, "reviewer-forms@hen.example")
				if err := e.pub.Review(t.Context(), workflow.Actor{ID: reviewer.ID, Role: reviewer.Role}, 1, next.ID, workflow.Approve, ""); err != nil {
					t.Fatal(err)
				}
			}
			if tt.values.Get("revision") == "0" {
				tt.values.Set("revision", strconv.FormatInt(next.ID, 10))
			}
			res := tt.c.post(tt.from, tt.to, tt.values)
			if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusConflict {
				t.Fatalf("POST %s = %d, want the form back", tt.to, res.StatusCode)
			}
			doc, err := goquery.NewDocumentFromReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			form := doc.Find(`form[action="` + tt.to + `"]`)
			if tt.form == "publish" {
				form = doc.Find(`form:has([name="publish_at"])`)
			}
			if form.Length() != 1 {
				t.Fatalf("the page has %d forms posting to %s", form.Length(), tt.to)
			}
			for _, name := range tt.want {
				fieldError(t, doc, form, name)
			}
			labelled(t, form, formLabels[tt.form])
		})
	}
}

// control finds the control named name in form and the words labelling
// it: a fieldset's legend for checkboxes, else its <label>.
func control(t *testing.T, form *goquery.Selection, name string) (*goquery.Selection, string) {
	t.Helper()
	input := form.Find(`[name="` + name + `"]`).First()
	if input.Length() == 0 {
		t.Fatalf("no control named %s", name)
	}
	if fs := input.ParentsFiltered("fieldset.choices"); fs.Length() > 0 {
		return fs.First(), strings.TrimSpace(fs.First().Find("legend").First().Text())
	}
	id := input.AttrOr("id", "")
	if id == "" {
		t.Fatalf("control %s has no id for its label", name)
	}
	return input, strings.TrimSpace(form.Find(`label[for="` + id + `"]`).Text())
}

// fieldError checks that the control named name in form is described by a
// non-empty error message, marked invalid, and linked from the summary.
func fieldError(t *testing.T, doc *goquery.Document, form *goquery.Selection, name string) {
	t.Helper()
	el, _ := control(t, form, name)
	var msg string
	for _, id := range strings.Fields(el.AttrOr("aria-describedby", "")) {
		if e := doc.Find(`#` + id + `.field-error`); e.Length() > 0 {
			msg = strings.TrimSpace(e.Text())
		}
	}
	if msg == "" {
		t.Errorf("%s has no error message beside it", name)
		return
	}
	if goquery.NodeName(el) != "fieldset" && el.AttrOr("aria-invalid", "") != "true" {
		t.Errorf("%s is not marked aria-invalid", name)
	}
	if id := el.AttrOr("id", ""); doc.Find(`[data-testid="form-error"] a[href="#`+id+`"]`).Length() != 1 {
		t.Errorf("the error summary does not link to %s", name)
	}
}

// labelled checks that every field of a form has its label.
func labelled(t *testing.T, form *goquery.Selection, labels map[string]string) {
	t.Helper()
	for name, want := range labels {
		if _, got := control(t, form, name); got != want {
			t.Errorf("%s is labelled %q, want %q", name, got, want)
		}
	}
}
