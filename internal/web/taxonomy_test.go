package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/quire-cms/quire/internal/account"
)

func TestAdminManagesCategoriesAndSubjects(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	editor, _ := e.loggedIn(t, account.Editor)

	if res := editor.get("/desk/categories"); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor on categories = %d, want 403", res.StatusCode)
	}
	if res := editor.post("/desk", "/desk/subjects", url.Values{"name": {"Lenin"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor creating a subject = %d, want 403", res.StatusCode)
	}

	if res := admin.post("/desk/categories", "/desk/categories", url.Values{"name": {"Cold War"}, "description": {"1947–1991"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create category = %d: %s", res.StatusCode, body(t, res))
	}
	if res := admin.post("/desk/subjects", "/desk/subjects", url.Values{"name": {"Vladimir Lenin"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create subject = %d", res.StatusCode)
	}
	hub := e.page(t, "/subjects/vladimir-lenin", http.StatusOK)
	if got := text(hub.Find("h1")); got != "Life Moments of Vladimir Lenin" {
		t.Errorf("new hub heading = %q", got)
	}
	if home := e.page(t, "/", http.StatusOK); home.Find(`nav.sections a[href="/categories/cold-war"]`).Length() != 1 {
		t.Error("new category missing from the reader's sections")
	}
	_, form := editor.doc("/desk/articles/new")
	if !strings.Contains(text(form.Find("fieldset")), "Cold War") || !strings.Contains(text(form.Find("fieldset")), "Vladimir Lenin") {
		t.Error("the article form does not offer the new category and subject")
	}

	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"taken slug", url.Values{"name": {"Politics again"}, "slug": {"politics"}}, "already in use"},
		{"bad slug", url.Values{"name": {"X"}, "slug": {"Not OK"}}, "lowercase letters"},
		{"no name", url.Values{"name": {""}}, "Enter a name."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := admin.post("/desk/categories", "/desk/categories", tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body(t, res), tt.want) {
				t.Errorf("status = %d, want 422 saying %q", res.StatusCode, tt.want)
			}
		})
	}

	_, list := admin.doc("/desk/subjects")
	edit := list.Find(`a:contains("Edit Vladimir Lenin")`).AttrOr("href", "")
	if res := admin.post(edit, edit, url.Values{"name": {"Vladimir Lenin"}, "slug": {"lenin"}, "hub_title": {"Lenin's Life"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit subject = %d", res.StatusCode)
	}
	if got := text(e.page(t, "/subjects/lenin", http.StatusOK).Find("h1")); got != "Lenin's Life" {
		t.Errorf("edited hub heading = %q", got)
	}
	if res := admin.get("/desk/subjects/99999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("editing a missing subject = %d", res.StatusCode)
	}
}
