package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/access"
	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// tokenField carries a mailed link's token, in its address and in the
// form the link opens.
const tokenField = "token"

// showForgot asks for the address to mail a reset link to.
func (s *Server) showForgot(c echo.Context) error {
	return renderPrivate(c, http.StatusOK, desk.Forgot(desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}, false))
}

// forgot mails a reset link if the address has an account, and says the
// same either way.
func (s *Server) forgot(c echo.Context) error {
	err := s.access.RequestPasswordReset(c.Request().Context(), c.FormValue(account.FieldEmail), c.RealIP())
	var throttled *access.ThrottledError
	if errors.As(err, &throttled) {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds()+0.5)))
		f := desk.Form{CSRF: csrfToken(c), Values: map[string]string{account.FieldEmail: c.FormValue(account.FieldEmail)},
			Message: "Too many reset requests. Wait a few minutes, then try again."}
		return renderPrivate(c, http.StatusTooManyRequests, desk.Forgot(f, false))
	}
	if err != nil {
		return err
	}
	return renderPrivate(c, http.StatusOK, desk.Forgot(desk.Form{}, true))
}

// showReset is the page a reset link opens.
func (s *Server) showReset(c echo.Context) error {
	token := c.QueryParam(tokenField)
	p := desk.TokenPage{Form: desk.Form{CSRF: csrfToken(c)}, Token: token}
	valid, err := s.access.PasswordResetValid(c.Request().Context(), token)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !valid {
		status, p.Spent = http.StatusNotFound, "This password reset link has expired or was already used. Ask for a new one."
	}
	return renderPrivate(c, status, desk.ResetPassword(p))
}

// reset sets the new password and sends its owner to log in with it.
func (s *Server) reset(c echo.Context) error {
	token := c.FormValue(tokenField)
	a, err := s.access.ResetPasswordWithToken(c.Request().Context(), token, c.FormValue(account.FieldNewPassword))
	switch apperr.CodeOf(err) {
	case "":
	case apperr.Invalid:
		p := desk.TokenPage{Form: formFrom(c, err, desk.ResetFields), Token: token}
		return renderPrivate(c, http.StatusUnprocessableEntity, desk.ResetPassword(p))
	case apperr.NotFound:
		p := desk.TokenPage{Spent: apperr.MessageOf(err)}
		return renderPrivate(c, http.StatusNotFound, desk.ResetPassword(p))
	default:
		return err
	}
	// Whoever was logged in on this browser is not any more: the reset
	// ended every session of the account, and this one may be someone
	// else's.
	if err := s.sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	s.flash(c, "The password of "+a.Email+" has been changed and every session logged out. Log in with the new password.")
	return c.Redirect(http.StatusSeeOther, urls.Login())
}

// showInvitation is the page an invitation's link opens.
func (s *Server) showInvitation(c echo.Context) error {
	token := c.QueryParam(tokenField)
	inv, err := s.access.InvitationFor(c.Request().Context(), token)
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound:
		return renderPrivate(c, http.StatusNotFound, desk.AcceptInvitation(desk.TokenPage{Spent: apperr.MessageOf(err)}))
	default:
		return err
	}
	p := desk.TokenPage{Form: desk.Form{CSRF: csrfToken(c)}, Token: token, Name: inv.Name, Email: inv.Email, Role: inv.Role.Label()}
	return renderPrivate(c, http.StatusOK, desk.AcceptInvitation(p))
}

// acceptInvitation creates the invited account and logs its owner in.
func (s *Server) acceptInvitation(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.FormValue(tokenField)
	a, err := s.access.AcceptInvitation(ctx, token, c.FormValue(account.FieldPassword))
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound:
		return renderPrivate(c, http.StatusNotFound, desk.AcceptInvitation(desk.TokenPage{Spent: apperr.MessageOf(err)}))
	case apperr.Invalid:
		inv, ierr := s.access.InvitationFor(ctx, token)
		if ierr != nil {
			return renderPrivate(c, http.StatusNotFound, desk.AcceptInvitation(desk.TokenPage{Spent: apperr.MessageOf(ierr)}))
		}
		p := desk.TokenPage{Form: formFrom(c, err, desk.AcceptFields), Token: token, Name: inv.Name, Email: inv.Email, Role: inv.Role.Label()}
		return renderPrivate(c, http.StatusUnprocessableEntity, desk.AcceptInvitation(p))
	default:
		return err
	}
	if err := s.startSession(c, a); err != nil {
		return err
	}
	s.flash(c, "Welcome, "+a.Name+". Your account is ready.")
	return c.Redirect(http.StatusSeeOther, urls.Desk())
}

// Session keys of a login waiting for its second factor.
const (
	pendingAccount = "pending_account"
	pendingEpoch   = "pending_epoch"
	pendingUntil   = "pending_until"
	pendingNext    = "pending_next"
	pendingForm    = "pending_form"
)

// codeWindow is how long the code may take after the password.
const codeWindow = 5 * time.Minute

// awaitCode keeps a login whose password was right until its code comes,
// under a new session token, with no account logged in yet.
func (s *Server) awaitCode(c echo.Context, a account.Account, next string, kept url.Values) error {
	ctx := c.Request().Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessionAccount)
	s.sessions.Put(ctx, pendingAccount, a.ID)
	s.sessions.Put(ctx, pendingEpoch, a.SessionEpoch)
	s.sessions.Put(ctx, pendingUntil, time.Now().Add(codeWindow).Unix())
	s.sessions.Put(ctx, pendingNext, next)
	if len(kept) > 0 {
		s.sessions.Put(ctx, pendingForm, kept.Encode())
	}
	return c.Redirect(http.StatusSeeOther, urls.LoginCode())
}

// pending returns the account id a login waits for a code for, if the
// wait has not run out.
func (s *Server) pending(c echo.Context) (int64, bool) {
	ctx := c.Request().Context()
	id := s.sessions.GetInt64(ctx, pendingAccount)
	return id, id != 0 && time.Now().Unix() <= s.sessions.GetInt64(ctx, pendingUntil)
}

// showLoginCode asks for the authenticator code.
func (s *Server) showLoginCode(c echo.Context) error {
	if _, ok := s.pending(c); !ok {
		return c.Redirect(http.StatusSeeOther, urls.Login())
	}
	return renderPrivate(c, http.StatusOK, desk.LoginCode(desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}))
}

// loginCode checks the code and completes the login.
func (s *Server) loginCode(c echo.Context) error {
	ctx := c.Request().Context()
	id, ok := s.pending(c)
	if !ok {
		s.flash(c, "Logging in took too long. Enter your email and password again.")
		return c.Redirect(http.StatusSeeOther, urls.Login())
	}
	a, err := s.access.VerifySecondFactor(ctx, id, c.FormValue(account.FieldCode), c.RealIP())
	var throttled *access.ThrottledError
	switch {
	case errors.As(err, &throttled):
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds()+0.5)))
		f := desk.Form{CSRF: csrfToken(c), Message: apperr.MessageOf(err)}
		return renderPrivate(c, http.StatusTooManyRequests, desk.LoginCode(f))
	case apperr.CodeOf(err) == apperr.Invalid:
		return renderPrivate(c, http.StatusUnauthorized, desk.LoginCode(formFrom(c, err, desk.CodeFields)))
	case err != nil:
		return err
	}
	if !a.Active || a.SessionEpoch != s.sessions.GetInt64(ctx, pendingEpoch) {
		// Deactivated, or the password changed, since the password step.
		s.sessions.Destroy(ctx)
		return c.Redirect(http.StatusSeeOther, urls.Login())
	}
	next := s.sessions.GetString(ctx, pendingNext)
	kept, _ := url.ParseQuery(s.sessions.GetString(ctx, pendingForm))
	for _, k := range []string{pendingAccount, pendingEpoch, pendingUntil, pendingNext, pendingForm} {
		s.sessions.Remove(ctx, k)
	}
	return s.loggedIn(c, a, safeNext(next), kept)
}
