package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// showDashboard is the desk's home.
func (s *Server) showDashboard(c echo.Context) error {
	u, _ := currentUser(c)
	d := desk.Dashboard{Name: u.Name, Role: u.Role.Label(), IsAdmin: u.Role.AtLeast(account.Admin)}
	return renderPrivate(c, http.StatusOK, desk.DashboardPage(s.shell(c, "Dashboard", urls.Desk()), d))
}
