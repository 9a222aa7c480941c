package web

import (
	"crypto/rand"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/urls"
)

// Session lifetimes: a desk session ends after two idle hours, and in any
// case twelve hours after login (a working day).
const (
	sessionIdle     = 2 * time.Hour
	sessionAbsolute = 12 * time.Hour
)

// Session keys.
const (
	sessionAccount = "account_id"
	sessionEpoch   = "epoch"
	sessionFlash   = "flash"
)

// cookieName names a cookie; over https with the __Host- prefix, which
// browsers keep to this host alone, so that a sibling subdomain cannot set
// or toss it.
func cookieName(cfg Config, name string) string {
	if cfg.SecureCookies {
		return "__Host-" + name
	}
	return name
}

func newSessions(cfg Config, st scs.Store) *scs.SessionManager {
	sm := scs.New()
	sm.Store = st
	sm.IdleTimeout = sessionIdle
	sm.Lifetime = sessionAbsolute
	sm.Cookie.Name = cookieName(cfg, "quire_session")
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Path = "/"
	return sm
}

// deskMiddleware is the stack of every page that involves a login: the
// session, CSRF protection, the current user and no caching anywhere.
func (s *Server) deskMiddleware() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{
		noStore,
		echo.WrapMiddleware(s.sessions.LoadAndSave),
		s.csrf,
		s.loadUser,
	}
}

// csrfField is the form field carrying the CSRF token; csrfKey is where the
// middleware leaves the token for the views; sessionCSRF is where a
// logged-in session keeps its token.
const (
	csrfField   = "_csrf"
	csrfKey     = "csrf"
	userKey     = "user"
	sessionCSRF = "csrf"
)

// errForged refuses a state-changing request that is not from Quire's own
// form in this browser session.
var errForged = apperr.Errorf(apperr.Forbidden,
	"This form has expired or was sent from another site, so nothing was changed. Go back, reload the page and try again.")

// crossOrigin refuses requests a browser marks as coming from another site
// (Sec-Fetch-Site), or whose Origin is not this host.
var crossOrigin = http.NewCrossOriginProtection()

// csrf protects every state-changing request twice. The browser must say
// the request comes from this site (Origin or Sec-Fetch-Site, checked by
// net/http's CrossOriginProtection), and the form must carry the token of
// this session: a logged-in session keeps its own (made at login, gone at
// logout), so a token from anyone else's session is worthless; before
// login the token is a random cookie the form repeats (__Host- over https).
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		token := s.sessions.GetString(r.Context(), sessionCSRF)
		if token == "" {
			token = s.loggedOutToken(c)
		}
		c.Set(csrfKey, token)
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if err := crossOrigin.Check(r); err != nil {
			return errForged
		}
		if sent := c.FormValue(csrfField); subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			// From this site, but its session is gone: an article form is
			// given back, never dropped.
			if id, ok := carriedArticle(r.URL.Path); ok && r.Method == http.MethodPost && fromThisSite(r) {
				return s.loadUser(func(c echo.Context) error { return s.keepPosted(c, id) })(c)
			}
			return errForged
		}
		return next(c)
	}
}

// loggedOutToken is the CSRF token of a browser without a session: a
// random cookie the forms repeat (__Host- over https), made when missing.
func (s *Server) loggedOutToken(c echo.Context) string {
	name := cookieName(s.cfg, "quire_csrf")
	if ck, err := c.Request().Cookie(name); err == nil && len(ck.Value) == tokenLen {
		return ck.Value
	}
	token := rand.Text()
	c.SetCookie(&http.Cookie{Name: name, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionAbsolute / time.Second)})
	return token
}

// fromThisSite reports whether the browser says the request comes from a
// page of this site: CrossOriginProtection lets through requests that say
// nothing (other programs, old browsers), which is safe for refusing but
// not enough to trust a post with someone's form.
func fromThisSite(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin"
	}
	origin, err := url.Parse(r.Header.Get("Origin"))
	return err == nil && origin.Host != "" && origin.Host == r.Host
}

// tokenLen is the length of rand.Text's tokens.
var tokenLen = len(rand.Text())

func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, cachePrivate)
		return next(c)
	}
}

// loadUser puts the logged-in account in the context. The account is read
// afresh on every request, so a deactivation, a role change or a password
// change applies at once.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := s.sessions.GetInt64(ctx, sessionAccount)
		if id == 0 {
			return next(c)
		}
		a, err := s.access.Get(ctx, id)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
		case err != nil:
			return err
		case a.Active && a.SessionEpoch == s.sessions.GetInt64(ctx, sessionEpoch):
			c.Set(userKey, a)
			return next(c)
		}
		if err := s.sessions.Destroy(ctx); err != nil {
			return err
		}
		return next(c)
	}
}

// currentUser returns the logged-in account, if any.
func currentUser(c echo.Context) (account.Account, bool) {
	a, ok := c.Get(userKey).(account.Account)
	return a, ok
}

func csrfToken(c echo.Context) string {
	token, _ := c.Get(csrfKey).(string)
	return token
}

// requireLogin sends anonymous visitors to the login page (or to first-run
// setup while no account exists), remembering where they were going, and
// carrying an article form they posted.
func (s *Server) requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); ok {
			return next(c)
		}
		needsSetup, err := s.access.NeedsSetup(c.Request().Context())
		if err != nil {
			return err
		}
		if needsSetup {
			return c.Redirect(http.StatusSeeOther, urls.Setup())
		}
		r := c.Request()
		if id, ok := carriedArticle(r.URL.Path); ok && r.Method == http.MethodPost && fromThisSite(r) {
			return s.keepPosted(c, id)
		}
		target := urls.Login()
		if r.Method == http.MethodGet {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
}

// requireRole refuses accounts below min.
func requireRole(min account.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if a, ok := currentUser(c); !ok || !a.Role.AtLeast(min) {
				return apperr.Errorf(apperr.Forbidden, "This page is for %ss only.", strings.ToLower(min.Label()))
			}
			return next(c)
		}
	}
}

// safeNext returns next if it is a path on this site, else the dashboard.
// It refuses scheme-relative ("//evil"), absolute and backslash tricks
// ("/\evil", which browsers treat as "//evil").
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return urls.Desk()
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return urls.Desk()
	}
	return u.RequestURI()
}

// flash keeps a one-time message for the next page the user sees.
func (s *Server) flash(c echo.Context, msg string) {
	s.sessions.Put(c.Request().Context(), sessionFlash, msg)
}
