package web_test

import (
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/web"
)

var tokenRE = regexp.MustCompile(`token=([A-Za-z0-9]+)`)

// newestToken returns the token of the newest mail in the outbox for to.
func (e env) newestToken(t *testing.T, to string) string {
	t.Helper()
	msgs, _, err := e.store.Outbox(t.Context(), 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To == to {
			if got := tokenRE.FindStringSubmatch(m.Text); got != nil {
				return got[1]
			}
		}
	}
	t.Fatalf("no mail with a link for %s", to)
	return ""
}

func TestForgotYourPassword(t *testing.T) {
	e := newEnv(t)
	ed := e.account(t, account.Editor, "ed@hen.example")
	other := e.client(t)
	if res := other.login(ed.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatal("login")
	}

	c := e.client(t)
	_, doc := c.doc("/login")
	if href, _ := doc.Find(`a:contains("Forgot your password?")`).Attr("href"); href != "/forgot-password" {
		t.Errorf("login page links %q", href)
	}
	res := c.post("/forgot-password", "/forgot-password", url.Values{"email": {"ED@hen.example"}})
	b := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(b, "If an account uses that address") {
		t.Fatalf("request = %d\n%s", res.StatusCode, b)
	}
	unknown := c.post("/forgot-password", "/forgot-password", url.Values{"email": {"nobody@hen.example"}})
	if ub := body(t, unknown); unknown.StatusCode != res.StatusCode || ub != b {
		t.Error("an unknown address gets a different answer")
	}
	token := e.newestToken(t, "ed@hen.example")

	if res := c.get("/reset-password?token=forged"); res.StatusCode != http.StatusNotFound {
		t.Errorf("forged link = %d", res.StatusCode)
	}
	res = c.post("/reset-password?token="+token, "/reset-password", url.Values{"token": {token}, "new": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("short password = %d", res.StatusCode)
	}
	res = c.post("/reset-password?token="+token, "/reset-password", url.Values{"token": {token}, "new": {"a fresh long passphrase"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("reset = %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, doc := c.doc("/login"); !strings.Contains(doc.Find(`[data-testid="notice"]`).Text(), "has been changed") {
		t.Error("the login page does not say the password was changed")
	}
	if res := other.get("/desk"); res.StatusCode != http.StatusSeeOther {
		t.Error("the other session survived the reset")
	}
	if res := c.login(ed.Email, "a fresh long passphrase"); res.StatusCode != http.StatusSeeOther {
		t.Error("cannot log in with the new password")
	}
	res = e.client(t).post("/forgot-password", "/reset-password", url.Values{"token": {token}, "new": {"one more passphrase"}})
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("a used link = %d, want 404", res.StatusCode)
	}
	// Admins read waiting mail in the outbox, but never a reset link.
	admin, _ := e.loggedIn(t, account.Admin)
	_, outbox := admin.doc("/desk/outbox")
	if text := outbox.Find(`[data-testid="outbox"]`).Text(); !strings.Contains(text, "token=(for its recipient only)") || strings.Contains(text, token) {
		t.Errorf("the outbox shows a reset link:\n%s", text)
	}

	// Asking again and again is throttled, known address or not.
	for _, addr := range []string{"ed@hen.example", "ghost@hen.example"} {
		var res *http.Response
		for range account.AccountThrottle.Limit + 1 {
			if res = c.post("/forgot-password", "/forgot-password", url.Values{"email": {addr}}); res.StatusCode != http.StatusOK {
				break
			}
		}
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s: repeated requests = %d, want 429 with Retry-After", addr, res.StatusCode)
		}
	}
}

// The answer to a reset request takes as long for an address with an
// account as for one without: no more than a fifth apart, comparing the
// medians of interleaved runs.
func TestForgotYourPasswordTakesTheSameTime(t *testing.T) {
	// Behind a trusted proxy, each request from an address of its own:
	// the throttle stays out of the measurement.
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	e := newEnvWith(t, web.Config{BaseURL: baseURL, TrustedProxies: []*net.IPNet{loopback}})
	for i := range 10 {
		e.account(t, account.Editor, "known"+strconv.Itoa(i)+"@hen.example")
	}
	c := e.client(t)
	token := c.csrf("/forgot-password")
	n := 0
	timeOne := func(email string) time.Duration {
		n++
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/forgot-password",
			strings.NewReader(url.Values{"email": {email}, "_csrf": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", e.srv.URL)
		req.Header.Set("X-Forwarded-For", "198.51.100."+strconv.Itoa(n))
		start := time.Now()
		res := c.do(req)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("request = %d", res.StatusCode)
		}
		return time.Since(start)
	}
	var known, unknown []time.Duration
	for i := range 15 {
		// Each address asked at most twice: under its throttle.
		known = append(known, timeOne("known"+strconv.Itoa(i%10)+"@hen.example"))
		unknown = append(unknown, timeOne("ghost"+strconv.Itoa(i%10)+"@hen.example"))
	}
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	k, u := median(known), median(unknown)
	if ratio := float64(max(k, u)) / float64(min(k, u)); ratio > 1.2 {
		t.Errorf("median answer %s for known addresses, %s for unknown: %.2f× apart", k, u, ratio)
	}
	t.Logf("median answer %s for known addresses, %s for unknown", k, u)
}

func TestTwoFactorLogin(t *testing.T) {
	e := newEnv(t)
	ed := e.account(t, account.Editor, "ed@hen.example")
	c := e.client(t)
	c.login(ed.Email, testPassword)
	_, doc := c.doc("/desk/account/two-factor")
	secret := doc.Find(`[data-testid="totp-secret"]`).Text()
	if src, _ := doc.Find(`img`).Attr("src"); secret == "" || !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Fatalf("setup page: secret %q, QR %.40q", secret, src)
	}
	res := c.post("/desk/account/two-factor", "/desk/account/two-factor", url.Values{"code": {"000000"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("wrong code = %d", res.StatusCode)
	}
	code, _ := totp.GenerateCode(secret, time.Now())
	res = c.post("/desk/account/two-factor", "/desk/account/two-factor", url.Values{"code": {code}})
	b := body(t, res)
	codes := regexp.MustCompile(`<code>([a-z0-9]{5}-[a-z0-9]{5})</code>`).FindAllStringSubmatch(b, -1)
	if res.StatusCode != http.StatusOK || len(codes) != 10 {
		t.Fatalf("confirm = %d with %d recovery codes", res.StatusCode, len(codes))
	}

	// Logging in now takes the password, then the code.
	d := e.client(t)
	res = d.login(ed.Email, testPassword)
	if res.Header.Get("Location") != "/login/code" {
		t.Fatalf("after the password: → %s", res.Header.Get("Location"))
	}
	if res := d.get("/desk"); res.StatusCode != http.StatusSeeOther {
		t.Error("the desk opened with only the password")
	}
	res = d.post("/login/code", "/login/code", url.Values{"code": {"123456"}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong code = %d", res.StatusCode)
	}
	// The code that turned it on is spent; a recovery code works once.
	if res := d.post("/login/code", "/login/code", url.Values{"code": {code}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a replayed code = %d", res.StatusCode)
	}
	res = d.post("/login/code", "/login/code", url.Values{"code": {codes[0][1]}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk" {
		t.Fatalf("recovery code = %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := d.get("/desk"); res.StatusCode != http.StatusOK {
		t.Errorf("desk after the code = %d", res.StatusCode)
	}

	// New recovery codes take the password.
	if res := d.post("/desk/account/two-factor", "/desk/account/two-factor/recovery-codes", url.Values{"current": {"not it"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("new recovery codes without the password = %d", res.StatusCode)
	}
	res = d.post("/desk/account/two-factor", "/desk/account/two-factor/recovery-codes", url.Values{"current": {testPassword}})
	if fresh := regexp.MustCompile(`<code>([a-z0-9]{5}-[a-z0-9]{5})</code>`).FindAllString(body(t, res), -1); len(fresh) != 10 {
		t.Errorf("new recovery codes: %d shown", len(fresh))
	}

	// An admin resets it; the account page then offers to set it up again.
	admin, _ := e.loggedIn(t, account.Admin)
	if res := admin.post("/desk/users", "/desk/users/"+strconv.FormatInt(ed.ID, 10)+"/two-factor", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset = %d", res.StatusCode)
	}
	if res := e.client(t).login(ed.Email, testPassword); res.Header.Get("Location") != "/desk" {
		t.Errorf("after a reset, login → %s", res.Header.Get("Location"))
	}
}

func TestTwoFactorCanBeRequired(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loggedIn(t, account.Admin)
	_, doc := admin.doc("/desk/settings")
	form := url.Values{}
	doc.Find(`form[action="/desk/settings"] input[name], form[action="/desk/settings"] select[name]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if v, ok := s.Attr("value"); ok && (s.Is("select") || s.AttrOr("type", "") != "checkbox" || s.Is("[checked]")) {
			form.Set(name, v)
		}
	})
	form.Set("require_two_factor", "everyone")
	if res := admin.post("/desk/settings", "/desk/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings = %d: %s", res.StatusCode, body(t, res))
	}
	ed := e.account(t, account.Editor, "ed@hen.example")
	c := e.client(t)
	if res := c.login(ed.Email, testPassword); res.Header.Get("Location") != "/desk/account/two-factor" {
		t.Errorf("login → %s, want the two-factor setup", res.Header.Get("Location"))
	}
	for _, path := range []string{"/desk", "/desk/articles", "/desk/account"} {
		if res := c.get(path); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk/account/two-factor" {
			t.Errorf("%s = %d → %s", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if res := c.post("/desk/account/two-factor", "/desk/articles/1/submit", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a post before setting it up = %d", res.StatusCode)
	}
	_, doc = c.doc("/desk/account/two-factor")
	code, _ := totp.GenerateCode(doc.Find(`[data-testid="totp-secret"]`).Text(), time.Now())
	c.post("/desk/account/two-factor", "/desk/account/two-factor", url.Values{"code": {code}})
	if res := c.get("/desk"); res.StatusCode != http.StatusOK {
		t.Errorf("desk after setting it up = %d", res.StatusCode)
	}
}

func TestNotificationChoices(t *testing.T) {
	e := newEnv(t)
	c, a := e.loggedIn(t, account.Reviewer)
	_, doc := c.doc("/desk/account")
	if got := doc.Find(`select[name="submitted"] option[selected]`).Text(); got != "Immediately" {
		t.Errorf("default choice %q", got)
	}
	res := c.post("/desk/account", "/desk/account/notifications", url.Values{"submitted": {"digest"}, "approved": {"off"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", res.StatusCode)
	}
	choices, _ := e.access.NotificationChoices(t.Context(), a.ID)
	if choices[mail.Submitted] != mail.DailyDigest || choices[mail.Approved] != mail.Off || choices[mail.Published] != mail.Immediately {
		t.Errorf("choices %v", choices)
	}
	if res := c.post("/desk/account", "/desk/account/notifications", url.Values{"submitted": {"hourly"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a made-up choice = %d", res.StatusCode)
	}
}
