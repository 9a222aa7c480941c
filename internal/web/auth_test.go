package web_test

import (
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/web"
)

// setupLink makes a first-run setup link, as Quire prints at start.
func (e env) setupLink(t *testing.T) (path, token string) {
	t.Helper()
	token, ok, err := e.access.SetupLink(t.Context())
	if err != nil || !ok {
		t.Fatalf("SetupLink() = %v, %v", ok, err)
	}
	return "/setup?token=" + token, token
}

func TestFirstRunSetup(t *testing.T) {
	e := newEnv(t)
	c := e.client(t)
	if res := c.get("/desk"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/setup" {
		t.Fatalf("GET /desk with no accounts = %d → %q, want 303 → /setup", res.StatusCode, res.Header.Get("Location"))
	}
	// Whoever merely reaches /setup first gets no form: only the holder of
	// the link Quire printed does.
	res, doc := c.doc("/setup")
	if res.StatusCode != http.StatusForbidden || doc.Find(`input[name="password"]`).Length() != 0 || doc.Find(`[data-testid="needs-link"]`).Length() != 1 {
		t.Fatalf("GET /setup without the link = %d, want 403 explaining where the link is, without a form", res.StatusCode)
	}
	link, token := e.setupLink(t)
	forged := url.Values{"name": {"Mallory"}, "email": {"mallory@evil.example"}, "password": {testPassword}, "token": {"guessed"}}
	if res := c.post(link, "/setup", forged); res.StatusCode != http.StatusForbidden {
		t.Fatalf("setup with a wrong token = %d, want 403", res.StatusCode)
	}
	bad := c.post(link, "/setup", url.Values{"name": {"Ada"}, "email": {"not-an-email"}, "password": {"short"}, "token": {token}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid setup = %d, want 422", bad.StatusCode)
	}
	if b := body(t, bad); !strings.Contains(b, `value="Ada"`) || !strings.Contains(b, "at least 12 characters") {
		t.Error("invalid setup form lost the name or lacks the password message")
	}
	res = c.post(link, "/setup", url.Values{"name": {"Ada Admin"}, "email": {"ada@hen.example"}, "password": {testPassword}, "token": {token}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk" {
		t.Fatalf("setup = %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, doc = c.doc("/desk")
	if got := text(doc.Find(`[data-testid="current-user"]`)); got != "Ada Admin Admin" {
		t.Errorf("current user = %q", got)
	}
	if res := e.client(t).get(link); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET the setup link after setup = %d, want 404", res.StatusCode)
	}
}

func TestSetupRaceOverHTTP(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	statuses := make(chan int, 6)
	clients := make([]*client, 6)
	tokens := make([]string, 6)
	link, setupToken := e.setupLink(t)
	for i := range clients {
		clients[i] = e.client(t)
		tokens[i] = clients[i].csrf(link)
	}
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"_csrf": {tokens[i]}, "token": {setupToken}, "name": {"Admin"}, "email": {"admin" + strconv.Itoa(i) + "@hen.example"}, "password": {testPassword}}
			statuses <- c.post("", "/setup", form).StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	if counts[http.StatusSeeOther] != 1 || counts[http.StatusNotFound] != 5 {
		t.Errorf("racing setups answered %v, want one 303 and five 404", counts)
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	e.account(t, account.Editor, "ed@hen.example")
	c := e.client(t)

	wrong := c.login("ed@hen.example", "not the password")
	unknown := c.login("nobody@hen.example", "not the password")
	if wrong.StatusCode != http.StatusUnauthorized || unknown.StatusCode != http.StatusUnauthorized {
		t.Fatalf("failed logins = %d / %d, want 401", wrong.StatusCode, unknown.StatusCode)
	}
	msg := func(b string) string {
		i := strings.Index(b, `data-testid="form-error">`)
		if i < 0 {
			return ""
		}
		return b[i : i+strings.Index(b[i:], "<")]
	}
	if w, u := msg(body(t, wrong)), msg(body(t, unknown)); w == "" || w != u {
		t.Errorf("wrong password says %q, unknown email says %q; want the same message", w, u)
	}

	c.get("/login")
	before := sessionCookie(c, e)
	res := c.post("/login", "/login?next=/desk/password", url.Values{"email": {"ED@hen.example"}, "password": {testPassword}, "next": {"/desk/password"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk/password" {
		t.Fatalf("login = %d → %q, want 303 → /desk/password", res.StatusCode, res.Header.Get("Location"))
	}
	after := sessionCookie(c, e)
	if after == "" || after == before {
		t.Errorf("session token not rotated at login (before %q, after %q)", before, after)
	}
	if res := c.get("/desk"); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /desk after login = %d", res.StatusCode)
	}
	if cc := c.get("/desk").Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("desk Cache-Control = %q", cc)
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(setCookie(res, "quire_session"), attr) {
			t.Errorf("session cookie %q lacks %s", setCookie(res, "quire_session"), attr)
		}
	}

	// Logging out destroys the session on the server: replaying the old
	// cookie gets nowhere.
	if res := c.post("/desk", "/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout = %d", res.StatusCode)
	}
	replay := e.client(t)
	u, _ := url.Parse(e.srv.URL)
	replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: "quire_session", Value: after}})
	if res := replay.get("/desk"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("old session cookie after logout = %d → %q, want a redirect to /login", res.StatusCode, res.Header.Get("Location"))
	}
}

func sessionCookie(c *client, e env) string {
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "quire_session" {
			return ck.Value
		}
	}
	return ""
}

func setCookie(res *http.Response, name string) string {
	for _, v := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, name+"=") {
			return v
		}
	}
	return ""
}

func TestSecureCookieBehindHTTPS(t *testing.T) {
	e := newEnvWith(t, web.Config{BaseURL: baseURL, SecureCookies: true})
	e.account(t, account.Editor, "ed@hen.example")
	c := e.client(t)
	// The test server speaks plain http, so the browser would not send the
	// Secure cookies back: the test does, as a browser on https would.
	res, doc := c.doc("/login")
	csrfCookie := setCookie(res, "__Host-quire_csrf")
	if !strings.Contains(csrfCookie, "Secure") || !strings.Contains(csrfCookie, "Path=/") {
		t.Errorf("CSRF cookie %q is not a Secure __Host- cookie", csrfCookie)
	}
	token := doc.Find(`input[name="_csrf"]`).AttrOr("value", "")
	form := url.Values{"email": {"ed@hen.example"}, "password": {testPassword}, "_csrf": {token}}
	res = c.post("", "/login", form, "Cookie", strings.SplitN(csrfCookie, ";", 2)[0])
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(setCookie(res, "__Host-quire_session"), "Secure") {
		t.Errorf("login = %d, session cookie %q; want a Secure __Host- cookie", res.StatusCode, setCookie(res, "__Host-quire_session"))
	}
}

// TestCSRFTokensBelongToOneSession: a logged-in session's form token works
// in that session only, and a valid token sent from another site is
// refused all the same.
func TestCSRFTokensBelongToOneSession(t *testing.T) {
	e := newEnv(t)
	alice, _ := e.loggedIn(t, account.Editor)
	mallory, _ := e.loggedIn(t, account.Reviewer)
	malloryToken := mallory.csrf("/desk/account")
	form := url.Values{"current": {testPassword}, "new": {"a brand new passphrase"}, "_csrf": {malloryToken}}
	if res := alice.post("", "/desk/account/password", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("Alice's session with Mallory's token = %d, want 403", res.StatusCode)
	}
	if res := alice.post("/desk/account", "/desk/account/password", form, "Origin", "https://evil.example"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a valid token from another origin = %d, want 403", res.StatusCode)
	}
	if res := alice.post("/desk/account", "/desk/account/password", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Alice's own token = %d, want the change made", res.StatusCode)
	}
}

func TestOpenRedirects(t *testing.T) {
	e := newEnv(t)
	e.account(t, account.Editor, "ed@hen.example")
	for _, next := range []string{"//evil.example", "https://evil.example", "/\\evil", "/\\/evil.example", "javascript:alert(1)", "", "http:/evil"} {
		t.Run(next, func(t *testing.T) {
			c := e.client(t)
			res := c.post("/login", "/login", url.Values{"email": {"ed@hen.example"}, "password": {testPassword}, "next": {next}})
			if got := res.Header.Get("Location"); got != "/desk" {
				t.Errorf("next=%q redirects to %q, want /desk", next, got)
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	e.account(t, account.Editor, "ed@hen.example")
	c := e.client(t)
	c.get("/login")
	tests := []struct {
		name   string
		from   string
		header []string
	}{
		{"no token", "", nil},
		{"wrong token", "", []string{"X-Ignored", "x"}},
		{"another site, with a token", "/login", []string{"Sec-Fetch-Site", "cross-site"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"email": {"ed@hen.example"}, "password": {testPassword}}
			if tt.name == "wrong token" {
				form.Set("_csrf", "forged")
			}
			res := c.post(tt.from, "/login", form, tt.header...)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("status = %d, want 403", res.StatusCode)
			}
		})
	}
}

func TestLoginThrottling(t *testing.T) {
	e := newEnv(t)
	e.account(t, account.Editor, "ed@hen.example")
	c := e.client(t)
	for i := range 5 {
		if res := c.login("ed@hen.example", "wrong password "+strconv.Itoa(i)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	res := c.login("ed@hen.example", testPassword)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures = %d, want 429", res.StatusCode)
	}
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s <= 0 {
		t.Errorf("Retry-After = %q", res.Header.Get("Retry-After"))
	}
	if b := body(t, res); !strings.Contains(b, "Too many failed attempts") {
		t.Error("429 page does not explain itself")
	}
}

func TestThrottlingPerAddress(t *testing.T) {
	e := newEnv(t)
	e.account(t, account.Editor, "ed@hen.example")
	c := e.client(t)
	// Twenty different unknown accounts from one address lock the address.
	for i := range 20 {
		c.login("nobody"+strconv.Itoa(i)+"@hen.example", "wrong password!")
	}
	if res := c.login("ed@hen.example", testPassword); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("login from a locked address = %d, want 429", res.StatusCode)
	}
}

// TestThrottlingBelievesOnlyTrustedProxies: by default the client is the
// peer that connects, so a forged X-Forwarded-For neither spreads an
// attacker's failures over many addresses nor pins them on someone else's.
// Behind a trusted proxy its header names the client, and an attacker at
// one address cannot lock the owner out at another.
func TestThrottlingBelievesOnlyTrustedProxies(t *testing.T) {
	t.Run("no proxy is trusted", func(t *testing.T) {
		e := newEnv(t)
		e.account(t, account.Editor, "ed@hen.example")
		c := e.client(t)
		for i := range 20 {
			c.post("/login", "/login", url.Values{"email": {"nobody" + strconv.Itoa(i) + "@hen.example"}, "password": {"wrong password!"}},
				"X-Forwarded-For", "203.0.113."+strconv.Itoa(i), "X-Real-Ip", "203.0.113."+strconv.Itoa(i))
		}
		res := c.post("/login", "/login", url.Values{"email": {"ed@hen.example"}, "password": {testPassword}}, "X-Forwarded-For", "198.51.100.7")
		if res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("after 20 failures with forged addresses, login = %d, want 429 (the peer's address is locked)", res.StatusCode)
		}
	})
	t.Run("behind a trusted proxy", func(t *testing.T) {
		t.Parallel()
		_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
		e := newEnvWith(t, web.Config{BaseURL: baseURL, TrustedProxies: []*net.IPNet{loopback}})
		e.account(t, account.Editor, "ed@hen.example")
		attacker, owner := e.client(t), e.client(t)
		for range 5 {
			attacker.post("/login", "/login", url.Values{"email": {"ed@hen.example"}, "password": {"wrong password!"}}, "X-Forwarded-For", "192.0.2.66")
		}
		if res := attacker.post("/login", "/login", url.Values{"email": {"ed@hen.example"}, "password": {testPassword}}, "X-Forwarded-For", "192.0.2.66"); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("the attacker's address after 5 failures = %d, want 429", res.StatusCode)
		}
		if res := owner.post("/login", "/login", url.Values{"email": {"ed@hen.example"}, "password": {testPassword}}, "X-Forwarded-For", "198.51.100.7"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the owner at another address = %d, want logged in", res.StatusCode)
		}
	})
}

// TestChangingThePasswordIsThrottled: guessing the current password on
// the Password page counts like failed logins.
func TestChangingThePasswordIsThrottled(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loggedIn(t, account.Editor)
	for i := range 5 {
		res := c.post("/desk/account", "/desk/account/password", url.Values{"current": {"guess " + strconv.Itoa(i)}, "new": {"a brand new passphrase"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d = %d, want 422", i+1, res.StatusCode)
		}
	}
	res := c.post("/desk/account", "/desk/account/password", url.Values{"current": {testPassword}, "new": {"a brand new passphrase"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("after 5 wrong current passwords = %d (Retry-After %q), want 429", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// TestRoleMatrix checks every desk route for every role.
func TestRoleMatrix(t *testing.T) {
	e := newEnv(t)
	e.account(t, account.Admin, "first-admin@hen.example") // so that anonymous visitors are sent to login, not setup
	target := e.account(t, account.Editor, "target@hen.example")
	id := strconv.FormatInt(target.ID, 10)
	const (
		ok        = http.StatusOK
		redirect  = http.StatusSeeOther
		forbidden = http.StatusForbidden
	)
	routes := []struct {
		method, path                  string
		form                          url.Values
		anon, editor, reviewer, admin int
	}{
		{"GET", "/desk", nil, redirect, ok, ok, ok},
		{"GET", "/desk/password", nil, redirect, http.StatusMovedPermanently, http.StatusMovedPermanently, http.StatusMovedPermanently},
		{"GET", "/desk/account", nil, redirect, ok, ok, ok},
		{"POST", "/desk/account/password", url.Values{"current": {"x"}, "new": {"y"}}, redirect, 422, 422, 422},
		{"POST", "/desk/account/notifications", url.Values{"submitted": {"digest"}}, redirect, redirect, redirect, redirect},
		{"GET", "/desk/users", nil, redirect, forbidden, forbidden, ok},
		{"POST", "/desk/users", url.Values{"name": {"N"}, "email": {"n@hen.example"}, "role": {"editor"}}, redirect, forbidden, forbidden, redirect},
		{"GET", "/desk/outbox", nil, redirect, forbidden, forbidden, ok},
		{"POST", "/desk/users/" + id + "/two-factor", nil, redirect, forbidden, forbidden, redirect},
		{"POST", "/desk/users/" + id + "/role", url.Values{"role": {"reviewer"}}, redirect, forbidden, forbidden, redirect},
		{"POST", "/desk/users/" + id + "/active", url.Values{"active": {"true"}}, redirect, forbidden, forbidden, redirect},
		{"GET", "/desk/categories", nil, redirect, forbidden, forbidden, ok},
		{"GET", "/desk/categories/1", nil, redirect, forbidden, forbidden, ok},
		{"POST", "/desk/categories", url.Values{"name": {""}}, redirect, forbidden, forbidden, 422},
		{"POST", "/desk/categories/1", url.Values{"name": {""}}, redirect, forbidden, forbidden, 422},
		{"GET", "/desk/subjects", nil, redirect, forbidden, forbidden, ok},
		{"GET", "/desk/subjects/1", nil, redirect, forbidden, forbidden, ok},
		{"POST", "/desk/subjects", url.Values{"name": {""}}, redirect, forbidden, forbidden, 422},
		{"POST", "/desk/subjects/1", url.Values{"name": {""}}, redirect, forbidden, forbidden, 422},
		{"GET", "/desk/articles", nil, redirect, ok, ok, ok},
		{"GET", "/desk/articles/new", nil, redirect, ok, ok, ok},
		// Without a login, an article form that says it comes from this
		// site is carried through the login page (carry_test.go); these
		// posts say nothing, and go to log in.
		{"POST", "/desk/articles", url.Values{"title": {""}}, redirect, 422, 422, 422},
		{"GET", "/desk/articles/1", nil, redirect, ok, ok, ok},
		{"GET", "/desk/articles/1/edit", nil, redirect, ok, ok, ok},
		{"POST", "/desk/articles/1/edit", url.Values{"base": {"1"}, "title": {""}}, redirect, 422, 422, 422},
		{"GET", "/desk/articles/1/preview", nil, redirect, ok, ok, ok},
		{"GET", "/desk/articles/1/history", nil, redirect, ok, ok, ok},
		{"GET", "/desk/articles/1/revisions/1", nil, redirect, ok, ok, ok},
		{"POST", "/desk/articles/1/revisions/1/restore", url.Values{"base": {"0"}}, redirect, 409, 409, 409},
		{"GET", "/desk/articles/1/compare?from=1&to=1", nil, redirect, ok, ok, ok},
		{"GET", "/desk/articles/1/audit", nil, redirect, ok, ok, ok},
		{"GET", "/desk/reviews", nil, redirect, ok, ok, ok},
		{"GET", "/desk/audit", nil, redirect, forbidden, forbidden, ok},
		{"GET", "/desk/audit/export?format=csv", nil, redirect, forbidden, forbidden, ok},
		{"GET", "/desk/settings", nil, redirect, forbidden, forbidden, ok},
		{"POST", "/desk/settings", url.Values{"name": {""}}, redirect, forbidden, forbidden, 422},
		{"GET", "/desk/articles/1/review", nil, redirect, ok, ok, ok},
		// The demo article is live with nothing pending, so every workflow
		// step is refused, for the right reason: editors may not review at all.
		{"POST", "/desk/articles/1/submit", url.Values{"revision": {"1"}}, redirect, 409, 409, 409},
		{"POST", "/desk/articles/1/review", url.Values{"revision": {"1"}, "decision": {"approve"}}, redirect, forbidden, 409, 409},
		{"POST", "/desk/articles/1/publish", url.Values{"revision": {"1"}}, redirect, 409, 409, 409},
		{"POST", "/desk/articles/1/schedule", url.Values{"revision": {"1"}, "publish_at": {"2030-01-01T09:00"}}, redirect, 409, 409, 409},
		{"POST", "/desk/articles/1/schedule/cancel", nil, redirect, 409, 409, 409},
		{"POST", "/desk/articles/999/unpublish", nil, redirect, 404, 404, 404},
	}
	clients := map[string]*client{"anonymous": e.client(t)}
	for _, role := range []account.Role{account.Editor, account.Reviewer, account.Admin} {
		clients[string(role)], _ = e.loggedIn(t, role)
	}
	for _, r := range routes {
		for who, want := range map[string]int{"anonymous": r.anon, "editor": r.editor, "reviewer": r.reviewer, "admin": r.admin} {
			t.Run(r.method+" "+r.path+" as "+who, func(t *testing.T) {
				c := clients[who]
				var res *http.Response
				if r.method == "GET" {
					res = c.get(r.path)
				} else {
					form := url.Values{}
					for k, v := range r.form {
						form[k] = v
					}
					from := "/desk"
					if who == "anonymous" {
						from = "/login"
					}
					res = c.post(from, r.path, form)
				}
				if res.StatusCode != want {
					t.Errorf("status = %d, want %d", res.StatusCode, want)
				}
				if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
					t.Errorf("Cache-Control = %q", cc)
				}
			})
		}
	}
}

func TestDeactivationAndRoleChangeApplyMidSession(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	editor, ed := e.loggedIn(t, account.Editor)
	if res := editor.get("/desk/users"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("editor on /desk/users = %d", res.StatusCode)
	}
	id := strconv.FormatInt(ed.ID, 10)
	if res := admin.post("/desk/users", "/desk/users/"+id+"/role", url.Values{"role": {"admin"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change = %d", res.StatusCode)
	}
	if res := editor.get("/desk/users"); res.StatusCode != http.StatusOK {
		t.Errorf("after promotion, /desk/users = %d, want 200 on the next request", res.StatusCode)
	}
	if res := admin.post("/desk/users", "/desk/users/"+id+"/active", url.Values{"active": {"false"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate = %d", res.StatusCode)
	}
	if res := editor.get("/desk"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("deactivated account's next request = %d, want a redirect to login", res.StatusCode)
	}
	if res := editor.login(ed.Email, testPassword); res.StatusCode != http.StatusForbidden || !strings.Contains(body(t, res), "deactivated") {
		t.Errorf("deactivated login = %d", res.StatusCode)
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	e := newEnv(t)
	first, ed := e.loggedIn(t, account.Editor)
	second := e.client(t)
	second.login(ed.Email, testPassword)
	res := first.post("/desk/account", "/desk/account/password", url.Values{"current": {testPassword}, "new": {"a new long passphrase"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("password change = %d: %s", res.StatusCode, body(t, res))
	}
	if res := first.get("/desk"); res.StatusCode != http.StatusOK {
		t.Errorf("the session that changed the password = %d, want to stay logged in", res.StatusCode)
	}
	if res := second.get("/desk"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another session after the password change = %d, want logged out", res.StatusCode)
	}
}

func TestAdminInvitesPeople(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	res := admin.post("/desk/users", "/desk/users", url.Values{"name": {"Rita Reviewer"}, "email": {"rita@"}, "role": {"reviewer"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad address = %d, want 422", res.StatusCode)
	}
	if b := body(t, res); !strings.Contains(b, `value="Rita Reviewer"`) || !strings.Contains(b, `value="rita@"`) {
		t.Error("the form lost what was typed")
	}
	res = admin.post("/desk/users", "/desk/users", url.Values{"name": {"Rita Reviewer"}, "email": {"rita@hen.example"}, "role": {"reviewer"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite = %d", res.StatusCode)
	}
	_, doc := admin.doc("/desk/users")
	if row := doc.Find(`[data-testid="invitations"] tr[data-email="rita@hen.example"]`); row.Length() != 1 {
		t.Error("invitation not listed")
	}
	// No mail server here: the invitation waits in the outbox, where the
	// admin can read its link.
	_, outbox := admin.doc("/desk/outbox")
	if outbox.Find(`[data-testid="not-sending"]`).Length() != 1 {
		t.Error("the outbox does not say mail is not being sent")
	}
	link := regexp.MustCompile(`http://[^\s]+/invitation\?token=[A-Za-z0-9]+`).FindString(outbox.Find(`[data-testid="outbox"]`).Text())
	if link == "" {
		t.Fatalf("no invitation link in the outbox:\n%s", outbox.Find(`[data-testid="outbox"]`).Text())
	}
	path := link[strings.Index(link, "/invitation"):]
	rita := e.client(t)
	res = rita.post(path, "/invitation", url.Values{"token": {path[len("/invitation?token="):]}, "password": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("short password = %d, want 422", res.StatusCode)
	}
	res = rita.post(path, "/invitation", url.Values{"token": {path[len("/invitation?token="):]}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk" {
		t.Fatalf("accept = %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := rita.get("/desk"); res.StatusCode != http.StatusOK {
		t.Errorf("the new reviewer is not logged in: %d", res.StatusCode)
	}
	if res := rita.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("a used invitation link = %d, want 404", res.StatusCode)
	}
	_, doc = admin.doc("/desk/users")
	if doc.Find(`[data-testid="users"] tr[data-email="rita@hen.example"]`).Length() != 1 || doc.Find(`[data-testid="invitations"]`).Length() != 0 {
		t.Error("the accepted invitation did not become an account")
	}
	// A click on Revoke in a page opened before she accepted changes
	// nothing and says why.
	res = admin.post("/desk/users", "/desk/users/invitations/1/revoke", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("revoking an accepted invitation = %d, want back to the list", res.StatusCode)
	}
	if _, doc := admin.doc("/desk/users"); !strings.Contains(doc.Find(".flash").Text(), "already accepted") {
		t.Errorf("the list says %q", doc.Find(".flash").Text())
	}
}
