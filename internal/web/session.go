package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

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

func newSessions(cfg Config, st scs.Store) *scs.SessionManager {
	sm := scs.New()
	sm.Store = st
	sm.IdleTimeout = sessionIdle
	sm.Lifetime = sessionAbsolute
	sm.Cookie.Name = "quire_session"
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
		middleware.CSRFWithConfig(middleware.CSRFConfig{
			TokenLookup:    "form:" + csrfField,
			ContextKey:     csrfKey,
			CookieName:     "quire_csrf",
			CookiePath:     "/",
			CookieHTTPOnly: true,
			CookieSecure:   s.cfg.SecureCookies,
			CookieSameSite: http.SameSiteLaxMode,
			CookieMaxAge:   int(sessionAbsolute / time.Second),
			ErrorHandler: func(error, echo.Context) error {
				return apperr.Errorf(apperr.Forbidden, "This form has expired or was sent from another site, so nothing was changed. Go back, reload the page and try again.")
			},
		}),
		s.loadUser,
	}
}

// csrfField is the form field carrying the CSRF token; csrfKey is where the
// middleware leaves the token for the views.
const (
	csrfField = "_csrf"
	csrfKey   = "csrf"
	userKey   = "user"
)

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
// setup while no account exists), remembering where they were going.
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
		target := urls.Login()
		if c.Request().Method == http.MethodGet {
			target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
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
