package web

import (
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
	"github.com/quire-cms/quire/views/layout"
)

// shell builds the desk frame for the logged-in user; current is the
// address of the page, to mark it in the navigation.
func (s *Server) shell(c echo.Context, title, current string) layout.Desk {
	u, _ := currentUser(c)
	nav := []layout.Link{{Href: urls.Desk(), Label: "Dashboard"}, {Href: urls.DeskArticles(), Label: "Articles"},
		{Href: urls.Reviews(), Label: "Reviews"}, {Href: urls.DeskContributors(), Label: "Contributors"},
		{Href: urls.DeskMedia(), Label: "Media"}}
	if u.Role.AtLeast(account.Admin) {
		nav = append(nav, layout.Link{Href: urls.DeskCategories(), Label: "Categories"},
			layout.Link{Href: urls.DeskSubjects(), Label: "Subjects"}, layout.Link{Href: urls.Users(), Label: "Users"},
			layout.Link{Href: urls.DeskAudit(), Label: "Audit log"}, layout.Link{Href: urls.Settings(), Label: "Settings"},
			layout.Link{Href: urls.Tokens(), Label: "API tokens"}, layout.Link{Href: urls.Webhooks(), Label: "Webhooks"}, layout.Link{Href: urls.Outbox(), Label: "Outbox"})
	}
	nav = append(nav, layout.Link{Href: urls.Account(), Label: "Account"})
	for i := range nav {
		nav[i].Current = nav[i].Href == current
	}
	return layout.Desk{
		Title: title, UserName: u.Name, UserRole: u.Role.Label(), CSRF: csrfToken(c), Nav: nav,
		Flash: s.sessions.PopString(c.Request().Context(), sessionFlash),
	}
}

// formFrom keeps what the user typed into fields (except passwords) and
// the error's per-field messages, for a form that comes back with 422.
func formFrom(c echo.Context, err error, fields desk.Fields) desk.Form {
	form, _ := c.FormParams() // unreadable forms never reach a handler (checkInput)
	return formOf(csrfToken(c), form, err, fields)
}

// formOf is formFrom for values posted elsewhere.
func formOf(csrf string, form url.Values, err error, fields desk.Fields) desk.Form {
	f := desk.Form{CSRF: csrf, Values: map[string]string{}}
	for _, name := range fields.Names() {
		f.Values[name] = form.Get(name)
	}
	if err != nil {
		f.Errors = apperr.FieldsOf(err)
		f.Message = apperr.MessageOf(err)
	}
	return f
}

// deskTime formats a moment for the desk in the network's time zone, the
// zone editors schedule in.
func (s *Server) deskTime(c echo.Context, t time.Time) string {
	return s.deskTimeOr(c, t, "Never")
}

// deskTimeOr is deskTime, saying none for a moment that has not happened.
func (s *Server) deskTimeOr(c echo.Context, t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return t.In(s.zone(c)).Format("2 Jan 2006 15:04 MST")
}

// zone is the network's time zone, as read in the current content
// generation.
func (s *Server) zone(c echo.Context) *time.Location {
	if m, err := s.site(c); err == nil {
		return m.net.Location()
	}
	return time.UTC
}
