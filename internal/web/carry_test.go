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

// loginForm is the login form on doc, filled with the given credentials,
// with every hidden field it carries.
func loginForm(doc *goquery.Document, email, password string) url.Values {
	form := url.Values{}
	doc.Find(`form[action="/login"] input[type="hidden"]`).Each(func(_ int, in *goquery.Selection) {
		form.Add(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	form.Set("email", email)
	form.Set("password", password)
	return form
}

func TestASaveAfterTheSessionEndedLosesNothing(t *testing.T) {
	e := newEnv(t)
	ed, me := e.loggedIn(t, account.Editor)
	path := createArticle(t, ed, "Trotsky in Mexico")
	_, edit := ed.doc(path + "/edit")
	token := edit.Find(`form.article-form input[name="_csrf"]`).AttrOr("value", "")
	form := articleForm("Trotsky in Coyoacán", "Typed for an hour, never saved.")
	form.Set("base", "1")
	form.Set("_csrf", token)

	// The session is gone (expired, or the cookie dropped): the same
	// browser, without it, posts the form.
	later := e.client(t)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path+"/edit", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	res := later.do(req)
	login, _ := goquery.NewDocumentFromReader(res.Body)
	if res.StatusCode != http.StatusUnauthorized || login.Find(`[data-testid="carried"]`).Length() != 1 {
		t.Fatalf("post without a session = %d, want the login page carrying the form", res.StatusCode)
	}
	if got := login.Find(`input[name="carried:body"]`).AttrOr("value", ""); got != "Typed for an hour, never saved." {
		t.Errorf("the login page carries body %q", got)
	}
	if revs, _ := e.store.Revisions(t.Context(), articleIDOf(t, path)); len(revs) != 1 {
		t.Fatalf("%d revisions after the refused save, want 1", len(revs))
	}

	// A wrong password keeps carrying it; the right one gives the form back, unsaved.
	token = login.Find(`input[name="_csrf"]`).AttrOr("value", "")
	wrong := loginForm(login, me.Email, "not the password at all")
	res = later.post("", "/login", wrong)
	again, _ := goquery.NewDocumentFromReader(res.Body)
	if res.StatusCode != http.StatusUnauthorized || again.Find(`input[name="carried:title"]`).AttrOr("value", "") != "Trotsky in Coyoacán" {
		t.Fatalf("a wrong password = %d and dropped the carried form", res.StatusCode)
	}
	res = later.post("", "/login", loginForm(again, me.Email, testPassword))
	back, _ := goquery.NewDocumentFromReader(res.Body)
	if res.StatusCode != http.StatusOK || back.Find(`[data-testid="unsaved"]`).Length() != 1 {
		t.Fatalf("login with a carried form = %d, want the form back with a notice", res.StatusCode)
	}
	if back.Find(`textarea[name="body"]`).Text() != "Typed for an hour, never saved." || back.Find(`input[name="title"]`).AttrOr("value", "") != "Trotsky in Coyoacán" ||
		back.Find(`input[name="base"]`).AttrOr("value", "") != "1" || back.Find(`input[name="categories"][value="1"][checked]`).Length() != 1 {
		t.Error("the form after login does not hold what was typed")
	}
	if revs, _ := e.store.Revisions(t.Context(), articleIDOf(t, path)); len(revs) != 1 {
		t.Errorf("%d revisions after login, want 1: nothing is saved until Save draft", len(revs))
	}
	// Save draft from that form saves it.
	saved := url.Values{}
	back.Find(`form.article-form input, form.article-form textarea`).Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		switch {
		case goquery.NodeName(in) == "textarea":
			saved.Add(name, in.Text())
		case in.AttrOr("type", "") == "checkbox":
			if _, on := in.Attr("checked"); on {
				saved.Add(name, in.AttrOr("value", ""))
			}
		default:
			saved.Add(name, in.AttrOr("value", ""))
		}
	})
	back.Find(`form.article-form select`).Each(func(_ int, sel *goquery.Selection) {
		saved.Add(sel.AttrOr("name", ""), sel.Find("option[selected]").AttrOr("value", sel.Find("option").First().AttrOr("value", "")))
	})
	if res := later.post("", path+"/edit", saved); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Save draft after login = %d: %s", res.StatusCode, body(t, res))
	}
	if revs, _ := e.store.Revisions(t.Context(), articleIDOf(t, path)); len(revs) != 2 || revs[0].Title != "Trotsky in Coyoacán" {
		t.Errorf("after Save draft: %d revisions, newest %q", len(revs), revs[0].Title)
	}
}

func TestACrossSitePostIsNeverCarried(t *testing.T) {
	e := newEnv(t)
	ed, _ := e.loggedIn(t, account.Editor)
	path := createArticle(t, ed, "Forgery target")
	form := articleForm("Planted by another site", "Planted text.")
	form.Set("base", "1")
	for _, header := range [][2]string{{"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "cross-site"}} {
		anonymous := e.client(t)
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path+"/edit", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(header[0], header[1])
		res := anonymous.do(req)
		if page := body(t, res); res.StatusCode != http.StatusForbidden || strings.Contains(page, "Planted") {
			t.Errorf("a cross-site post (%s) = %d; it must be refused and carry nothing", header[0], res.StatusCode)
		}
		// Nor for someone logged in.
		req, _ = http.NewRequest(http.MethodPost, e.srv.URL+path+"/edit", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(header[0], header[1])
		res = ed.do(req)
		if page := body(t, res); res.StatusCode != http.StatusForbidden || strings.Contains(page, "Planted") {
			t.Errorf("a cross-site post (%s) to a logged-in editor = %d; it must carry nothing", header[0], res.StatusCode)
		}
	}
}

func TestAStaleTokenGivesTheFormBack(t *testing.T) {
	e := newEnv(t)
	ed, _ := e.loggedIn(t, account.Editor)
	path := createArticle(t, ed, "Stale token")
	form := articleForm("Kept despite a stale token", "Still here.")
	form.Set("base", "1")
	form.Set("_csrf", "a token from a session that is over")
	// Logged in, but with a form from a session that is over (a login in
	// another tab since).
	res := ed.post("", path+"/edit", form, "Origin", e.srv.URL)
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	if res.StatusCode != http.StatusForbidden || doc.Find(`[data-testid="unsaved"]`).Length() != 1 || doc.Find(`textarea[name="body"]`).Text() != "Still here." {
		t.Errorf("a stale token = %d, want the form back with its text and a notice", res.StatusCode)
	}
}

// articleIDOf is the id in an article's desk path.
func articleIDOf(t *testing.T, path string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/desk/articles/"), 10, 64)
	if err != nil {
		t.Fatalf("no article id in %q", path)
	}
	return id
}

func TestAPostThatDoesNotSayWhereItCameFromIsNotCarried(t *testing.T) {
	e := newEnv(t)
	ed, _ := e.loggedIn(t, account.Editor)
	path := createArticle(t, ed, "Unlabelled post")
	form := articleForm("From somewhere", "Nobody said where from: huckleberry.")
	form.Set("base", "1")
	// No Origin and no Sec-Fetch-Site: another program, or an old browser.
	res := e.client(t).post("", path+"/edit", form)
	if page := body(t, res); res.StatusCode != http.StatusForbidden || strings.Contains(page, "huckleberry") {
		t.Errorf("an unlabelled post = %d; it must be refused and carry nothing", res.StatusCode)
	}
}

func TestTheCarriedFormSurvivesAPasswordReset(t *testing.T) {
	e := newEnv(t)
	ed, me := e.loggedIn(t, account.Editor)
	path := createArticle(t, ed, "Reset meanwhile")
	_, edit := ed.doc(path + "/edit")
	form := articleForm("Typed before the reset", "Still mine: tamarind.")
	form.Set("base", "1")
	form.Set("_csrf", edit.Find(`form.article-form input[name="_csrf"]`).AttrOr("value", ""))
	form.Set("extra_field", "not part of the article form")
	// The password changes elsewhere: this browser's session ends with it.
	if _, err := e.access.ResetPassword(t.Context(), me.Email, "another long passphrase"); err != nil {
		t.Fatal(err)
	}
	res := ed.post("", path+"/edit", form, "Origin", e.srv.URL)
	login, _ := goquery.NewDocumentFromReader(res.Body)
	if res.StatusCode != http.StatusUnauthorized || login.Find(`input[name="carried:body"]`).AttrOr("value", "") != "Still mine: tamarind." {
		t.Fatalf("post after the reset = %d, want the login page carrying the form", res.StatusCode)
	}
	if login.Find(`input[name="carried:extra_field"]`).Length() != 0 {
		t.Error("the login page carries a field the article form does not have")
	}
	res = ed.post("", "/login", loginForm(login, me.Email, "another long passphrase"))
	back, _ := goquery.NewDocumentFromReader(res.Body)
	if res.StatusCode != http.StatusOK || back.Find(`textarea[name="body"]`).Text() != "Still mine: tamarind." {
		t.Errorf("login after the reset = %d, want the form back", res.StatusCode)
	}
}
