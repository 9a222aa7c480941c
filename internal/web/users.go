package web

import (
	"net/http"
	"strconv"

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

// showUsers lists every account for an admin.
func (s *Server) showUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, desk.Form{CSRF: csrfToken(c), Values: map[string]string{account.FieldRole: string(account.Editor)}})
}

func (s *Server) renderUsers(c echo.Context, status int, create desk.Form) error {
	all, err := s.access.List(c.Request().Context())
	if err != nil {
		return err
	}
	roles := make([]desk.Choice, len(account.Roles))
	for i, r := range account.Roles {
		roles[i] = desk.Choice{Value: string(r), Label: r.Label(), Checked: string(r) == create.Value(account.FieldRole)}
	}
	create.Choices = map[string][]desk.Choice{account.FieldRole: roles}
	me, _ := currentUser(c)
	p := desk.UsersPage{CSRF: csrfToken(c), Roles: roleOptions(), Create: create, Action: urls.Users()}
	for _, a := range all {
		p.Users = append(p.Users, desk.UserRow{
			ID: a.ID, Name: a.Name, Email: a.Email, Role: string(a.Role), Active: a.Active, LastLogin: s.deskTime(c, a.LastLoginAt),
			RoleAction: urls.UserRole(a.ID), ActiveURL: urls.UserActive(a.ID), IsSelf: a.ID == me.ID,
		})
	}
	return renderPrivate(c, status, desk.Users(s.shell(c, "Accounts", urls.Users()), p))
}

// createUser adds an account.
func (s *Server) createUser(c echo.Context) error {
	me, _ := currentUser(c)
	a, err := s.access.Create(c.Request().Context(), me.ID, account.New{
		Name: c.FormValue(account.FieldName), Email: c.FormValue(account.FieldEmail), Role: c.FormValue(account.FieldRole),
		Password: c.FormValue(account.FieldPassword),
	})
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderUsers(c, http.StatusUnprocessableEntity, formFrom(c, err, desk.AccountFields))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Created "+a.Role.Label()+" account for "+a.Name+" ("+a.Email+").")
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

func accountID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Errorf(apperr.NotFound, "There is no such account.")
	}
	return id, nil
}

// showPassword renders the form to change one's own password.
func (s *Server) showPassword(c echo.Context) error {
	p := desk.PasswordPage{Form: desk.Form{CSRF: csrfToken(c)}, Action: urls.Password()}
	return renderPrivate(c, http.StatusOK, desk.Password(s.shell(c, "Change your password", urls.Password()), p))
}

// changePassword changes one's own password. Other sessions end; this one
// continues under a new token.
func (s *Server) changePassword(c echo.Context) error {
	me, _ := currentUser(c)
	a, err := s.access.ChangePassword(c.Request().Context(), me.ID, c.FormValue(account.FieldCurrentPassword), c.FormValue(account.FieldNewPassword), c.RealIP())
	if apperr.CodeOf(err) == apperr.Invalid {
		p := desk.PasswordPage{Form: formFrom(c, err, desk.PasswordFields), Action: urls.Password()}
		return renderPrivate(c, http.StatusUnprocessableEntity, desk.Password(s.shell(c, "Change your password", urls.Password()), p))
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, a); err != nil {
		return err
	}
	s.flash(c, "Your password has been changed. Other sessions have been logged out.")
	return c.Redirect(http.StatusSeeOther, urls.Desk())
}
