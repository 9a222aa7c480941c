package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/quire-cms/quire/internal/account"
)

const testPassword = "a long enough passphrase"

// client is one browser: its own cookies, no automatic redirects.
type client struct {
	t    testing.TB
	e    env
	http *http.Client
}

func (e env) client(t testing.TB) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{t: t, e: e, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c *client) do(req *http.Request) *http.Response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { res.Body.Close() })
	return res
}

func (c *client) get(path string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	return c.do(req)
}

// doc fetches path and parses it, whatever the status.
func (c *client) doc(path string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	res := c.get(path)
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, doc
}

// csrf returns the form token from the page at path.
func (c *client) csrf(path string) string {
	c.t.Helper()
	_, doc := c.doc(path)
	token := doc.Find(`input[name="_csrf"]`).First().AttrOr("value", "")
	if token == "" {
		c.t.Fatalf("no CSRF token on %s", path)
	}
	return token
}

// post submits a form as a same-site browser would, with the token from the
// page at from (or none if from is empty).
func (c *client) post(from, path string, form url.Values, header ...string) *http.Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if from != "" {
		form.Set("_csrf", c.csrf(from))
	}
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func (c *client) login(email, password string) *http.Response {
	c.t.Helper()
	return c.post("/login", "/login", url.Values{"email": {email}, "password": {password}})
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// account creates an account with the test password.
func (e env) account(t *testing.T, role account.Role, email string) account.Account {
	t.Helper()
	a, err := e.access.Create(t.Context(), 0, account.New{Email: email, Name: strings.Split(email, "@")[0], Role: string(role), Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// loggedIn returns a client logged in as a new account with role.
func (e env) loggedIn(t *testing.T, role account.Role) (*client, account.Account) {
	t.Helper()
	a := e.account(t, role, string(role)+"-"+strings.ReplaceAll(strings.ToLower(t.Name()), "/", "-")+"@hen.example")
	c := e.client(t)
	if res := c.login(a.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s = %d: %s", role, res.StatusCode, body(t, res))
	}
	return c, a
}
