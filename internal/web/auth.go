package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// showLogin renders the login form; a logged-in user goes straight on.
func (s *Server) showLogin(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	needsSetup, err := s.access.NeedsSetup(c.Request().Context())
	if err != nil {
		return err
	}
	if needsSetup {
		return c.Redirect(http.StatusSeeOther, urls.Setup())
	}
	p := desk.LoginPage{Form: desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}, Next: next,
		Notice: s.sessions.PopString(c.Request().Context(), sessionFlash)}
	return renderPrivate(c, http.StatusOK, desk.Login(p))
}

// login checks the credentials and starts a session under a new token.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	next := safeNext(c.FormValue("next"))
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	kept := articleFormOnly(carried(form))
	_, carrying := carriedArticle(next)
	carrying = carrying && len(kept) > 0
	a, err := s.access.Authenticate(ctx, c.FormValue(account.FieldEmail), c.FormValue(account.FieldPassword), c.RealIP())
	if err != nil {
		status := http.StatusUnauthorized
		var throttled *access.ThrottledError
		switch {
		case errors.As(err, &throttled):
			status = http.StatusTooManyRequests
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds()+0.5)))
		case apperr.CodeOf(err) == apperr.Forbidden:
			status = http.StatusForbidden
		case apperr.CodeOf(err) != apperr.Unauthorized:
			return err
		}
		p := desk.LoginPage{Next: next, Form: desk.Form{CSRF: csrfToken(c), Values: map[string]string{account.FieldEmail: c.FormValue(account.FieldEmail)},
			Message: apperr.MessageOf(err)}}
		if carrying {
			p.Carried = carry(kept)
		}
		return renderPrivate(c, status, desk.Login(p))
	}
	if !carrying {
		kept = nil
	}
	if a.TwoFactor {
		return s.awaitCode(c, a, next, kept)
	}
	return s.loggedIn(c, a, next, kept)
}

// loggedIn starts the session of someone who proved who they are, and
// takes them where they were going, or back to the article form they
// posted when their last session had ended.
func (s *Server) loggedIn(c echo.Context, a account.Account, next string, kept url.Values) error {
	if err := s.startSession(c, a); err != nil {
		return err
	}
	if s.twoFactorMissing(c, a) {
		// Before anything of the desk is shown, a carried form included.
		s.flash(c, "Your network requires two-factor login for "+a.Role.Label()+" accounts. Set it up to open the desk.")
		return c.Redirect(http.StatusSeeOther, urls.TwoFactor())
	}
	if articleID, ok := carriedArticle(next); ok && len(kept) > 0 {
		return s.unsavedForm(c, http.StatusOK, articleID, kept,
			"You were logged out before this was saved. Nothing is saved yet: check everything below, then press Save draft.")
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// startSession gives the browser a fresh session token (so a token planted
// before login is worthless) bound to the account's current session epoch,
// and the session a CSRF token of its own.
func (s *Server) startSession(c echo.Context, a account.Account) error {
	ctx := c.Request().Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	token := rand.Text()
	s.sessions.Put(ctx, sessionCSRF, token)
	s.sessions.Put(ctx, sessionAccount, a.ID)
	s.sessions.Put(ctx, sessionEpoch, a.SessionEpoch)
	// A page rendered in this same request belongs to the new session.
	c.Set(csrfKey, token)
	c.Set(userKey, a)
	return nil
}

// logout destroys the session on the server, so the old cookie is useless.
func (s *Server) logout(c echo.Context) error {
	if err := s.sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, urls.Login())
}

// showSetup renders the first-run form while no account exists, for
// whoever opens the setup link Quire printed; anyone else is told where the
// link is, and gets no form.
func (s *Server) showSetup(c echo.Context) error {
	ctx := c.Request().Context()
	needsSetup, err := s.access.NeedsSetup(ctx)
	if err != nil {
		return err
	}
	if !needsSetup {
		return echo.ErrNotFound
	}
	token := c.QueryParam(setupTokenField)
	valid, err := s.access.SetupLinkValid(ctx, token)
	if err != nil {
		return err
	}
	if !valid {
		return renderPrivate(c, http.StatusForbidden, desk.Setup(desk.SetupPage{NeedsLink: true}))
	}
	return renderPrivate(c, http.StatusOK, desk.Setup(desk.SetupPage{Form: desk.Form{CSRF: csrfToken(c)}, Token: token}))
}

// setupTokenField carries the setup link's token, in its address and in
// the form.
const setupTokenField = "token"

// setup creates the first admin and logs them in. Once any account exists
// it answers 404, also to the loser of two racing requests.
func (s *Server) setup(c echo.Context) error {
	token := c.FormValue(setupTokenField)
	a, err := s.access.Setup(c.Request().Context(), token, account.New{
		Name: c.FormValue(account.FieldName), Email: c.FormValue(account.FieldEmail), Password: c.FormValue(account.FieldPassword),
	})
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound:
		return echo.ErrNotFound
	case apperr.Forbidden:
		return renderPrivate(c, http.StatusForbidden, desk.Setup(desk.SetupPage{NeedsLink: true}))
	case apperr.Invalid:
		return renderPrivate(c, http.StatusUnprocessableEntity, desk.Setup(desk.SetupPage{Form: formFrom(c, err, desk.SetupFields), Token: token}))
	default:
		return err
	}
	if err := s.startSession(c, a); err != nil {
		return err
	}
	s.flash(c, "Your admin account is ready. Add your editors and reviewers under Users.")
	return c.Redirect(http.StatusSeeOther, urls.Desk())
}
