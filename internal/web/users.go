package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

func roleOptions() []desk.Option {
	out := make([]desk.Option, len(account.Roles))
	for i, r := range account.Roles {
		out[i] = desk.Option{Value: string(r), Label: r.Label()}
	}
	return out
}

// showUsers lists every account and open invitation for an admin.
func (s *Server) showUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, desk.Form{CSRF: csrfToken(c), Values: map[string]string{account.FieldRole: string(account.Editor)}})
}

func (s *Server) renderUsers(c echo.Context, status int, invite desk.Form) error {
	ctx := c.Request().Context()
	all, err := s.access.List(ctx)
	if err != nil {
		return err
	}
	invitations, err := s.access.Invitations(ctx)
	if err != nil {
		return err
	}
	roles := make([]desk.Choice, len(account.Roles))
	for i, r := range account.Roles {
		roles[i] = desk.Choice{Value: string(r), Label: r.Label(), Checked: string(r) == invite.Value(account.FieldRole)}
	}
	invite.Choices = map[string][]desk.Choice{account.FieldRole: roles}
	me, _ := currentUser(c)
	p := desk.UsersPage{CSRF: csrfToken(c), Roles: roleOptions(), Invite: invite, Action: urls.Users()}
	for _, a := range all {
		p.Users = append(p.Users, desk.UserRow{
			ID: a.ID, Name: a.Name, Email: a.Email, Role: string(a.Role), Active: a.Active, LastLogin: s.deskTime(c, a.LastLoginAt),
			RoleAction: urls.UserRole(a.ID), ActiveURL: urls.UserActive(a.ID), IsSelf: a.ID == me.ID,
			TwoFactor: a.TwoFactor, ResetTwoFactorURL: urls.UserTwoFactor(a.ID),
		})
	}
	now := time.Now()
	for _, inv := range invitations {
		p.Invitations = append(p.Invitations, desk.InvitationRow{
			Email: inv.Email, Name: inv.Name, Role: inv.Role.Label(), Expires: s.deskTime(c, inv.ExpiresAt), Expired: !inv.Open(now),
			ResendURL: urls.InvitationResend(inv.ID), RevokeURL: urls.InvitationRevoke(inv.ID),
		})
	}
	return renderPrivate(c, status, desk.Users(s.shell(c, "Accounts", urls.Users()), p))
}

// invite sends an invitation; the account exists once it is accepted.
func (s *Server) invite(c echo.Context) error {
	me, _ := currentUser(c)
	inv, err := s.access.Invite(c.Request().Context(), me, c.FormValue(account.FieldEmail), c.FormValue(account.FieldName), c.FormValue(account.FieldRole))
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderUsers(c, http.StatusUnprocessableEntity, formFrom(c, err, desk.InviteFields))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Sent an invitation to "+inv.Name+" ("+inv.Email+") as "+inv.Role.Label()+". "+s.mailWhere())
	return c.Redirect(http.StatusSeeOther, urls.Users())
}

// flashBack answers a repeated click (a second Revoke, a retry of mail
// already on its way) with the list and a word on why nothing changed,
// not an error page.
func (s *Server) flashBack(c echo.Context, err error, to string) error {
	s.flash(c, apperr.MessageOf(err))
	return c.Redirect(http.StatusSeeOther, to)
}

// mailWhere says where a mail just written goes.
func (s *Server) mailWhere() string {
	if s.cfg.MailSent {
		return "The mail is on its way."
	}
	return "No mail server is configured: the mail waits in the Outbox."
}

// resendInvitation mails an invitation again with a new link.
func (s *Server) resendInvitation(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := idParam(c, "There is no such invitation.")
	if err != nil {
		return err
	}
	inv, err := s.access.ResendInvitation(c.Request().Context(), me, id)
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.flashBack(c, err, urls.Users())
	}
	if err != nil {
		return err
	}
	s.flash(c, "Sent the invitation to "+inv.Email+" again, with a new link; the old one no longer works. "+s.mailWhere())
	return c.Redirect(http.StatusSeeOther, urls.Users())
}

// revokeInvitation withdraws an invitation.
func (s *Server) revokeInvitation(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := idParam(c, "There is no such invitation.")
	if err != nil {
		return err
	}
	inv, err := s.access.RevokeInvitation(c.Request().Context(), me, id)
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.flashBack(c, err, urls.Users())
	}
	if err != nil {
		return err
	}
	s.flash(c, "Revoked the invitation of "+inv.Email+": its link no longer works.")
	return c.Redirect(http.StatusSeeOther, urls.Users())
}

// resetTwoFactor turns off someone's two-factor login.
func (s *Server) resetTwoFactor(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := accountID(c)
	if err != nil {
		return err
	}
	a, err := s.access.ResetTwoFactor(c.Request().Context(), me, id)
	if err != nil {
		return err
	}
	s.flash(c, "Reset the two-factor login of "+a.Name+". They log in with their password and can set it up again.")
	return c.Redirect(http.StatusSeeOther, urls.Users())
}

// changeRole gives an account another role; it applies on its next request.
func (s *Server) changeRole(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := accountID(c)
	if err != nil {
		return err
	}
	a, err := s.access.ChangeRole(c.Request().Context(), me, id, c.FormValue(account.FieldRole))
	if err != nil {
		return err
	}
	s.flash(c, a.Name+" is now "+a.Role.Label()+".")
	return c.Redirect(http.StatusSeeOther, urls.Users())
}

// setActive deactivates an account (ending its sessions) or reactivates it.
func (s *Server) setActive(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := accountID(c)
	if err != nil {
		return err
	}
	active, err := strconv.ParseBool(c.FormValue("active"))
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "Choose whether to deactivate or reactivate the account.")
	}
	a, err := s.access.SetActive(c.Request().Context(), me, id, active)
	if err != nil {
		return err
	}
	if a.Active {
		s.flash(c, a.Name+" can log in again.")
	} else {
		s.flash(c, a.Name+" is deactivated and has been logged out.")
	}
	return c.Redirect(http.StatusSeeOther, urls.Users())
}

func accountID(c echo.Context) (int64, error) { return idParam(c, "There is no such account.") }

// idParam reads the id in the address, refusing what cannot be one with
// notFound.
func idParam(c echo.Context, notFound string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Errorf(apperr.NotFound, "%s", notFound)
	}
	return id, nil
}
