package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// showTokens lists the API tokens for an admin.
func (s *Server) showTokens(c echo.Context) error {
	return s.renderTokens(c, http.StatusOK, desk.Form{CSRF: csrfToken(c), Values: map[string]string{account.FieldTokenScope: string(account.ScopeReadDrafts)}}, "", "")
}

func (s *Server) renderTokens(c echo.Context, status int, create desk.Form, made, secret string) error {
	tokens, err := s.access.Tokens(c.Request().Context())
	if err != nil {
		return err
	}
	var scopes []desk.Choice
	for _, sc := range account.Scopes {
		scopes = append(scopes, desk.Choice{Value: string(sc), Label: sc.Label(), Checked: create.Value(account.FieldTokenScope) == string(sc)})
	}
	create.Choices = map[string][]desk.Choice{account.FieldTokenScope: scopes}
	p := desk.TokensPage{CSRF: csrfToken(c), Create: create, Secret: secret, Made: made, DocsURL: urls.APIDocs()}
	now := s.now()
	for _, t := range tokens {
		expires := "Never"
		if !t.ExpiresAt.IsZero() {
			// Its last day, as the form asked for it.
			expires = "End of " + t.ExpiresAt.In(s.zone(c)).AddDate(0, 0, -1).Format("2 Jan 2006")
		}
		row := desk.TokenRow{Name: t.Name, Scope: string(t.Scope), Created: s.deskTime(c, t.CreatedAt), Expires: expires,
			LastUsed: s.deskTime(c, t.LastUsedAt), Active: t.Usable(now), RevokeURL: urls.TokenRevoke(t.ID), Status: "Active"}
		switch {
		case !t.RevokedAt.IsZero():
			row.Status = "Revoked " + s.deskTime(c, t.RevokedAt)
		case !t.Usable(now):
			row.Status = "Expired"
		}
		p.Tokens = append(p.Tokens, row)
	}
	return renderPrivate(c, status, desk.Tokens(s.shell(c, "API tokens", urls.Tokens()), p))
}

// createToken makes an API token and shows its secret once: in this
// response, never again.
func (s *Server) createToken(c echo.Context) error {
	me, _ := currentUser(c)
	t, secret, err := s.access.CreateToken(c.Request().Context(), me, c.FormValue(account.FieldTokenName), c.FormValue(account.FieldTokenScope),
		c.FormValue(account.FieldTokenExpires))
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderTokens(c, http.StatusUnprocessableEntity, formFrom(c, err, desk.TokenFields), "", "")
	}
	if err != nil {
		return err
	}
	fresh := desk.Form{CSRF: csrfToken(c), Values: map[string]string{account.FieldTokenScope: string(account.ScopeReadDrafts)}}
	return s.renderTokens(c, http.StatusOK, fresh, t.Name, secret)
}

// revokeToken revokes an API token at once.
func (s *Server) revokeToken(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := idParam(c, "There is no such token.")
	if err != nil {
		return err
	}
	t, err := s.access.RevokeToken(c.Request().Context(), me, id)
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.flashBack(c, err, urls.Tokens())
	}
	if err != nil {
		return err
	}
	s.flash(c, "Revoked the token “"+t.Name+"”: it opens nothing from now on.")
	return c.Redirect(http.StatusSeeOther, urls.Tokens())
}
