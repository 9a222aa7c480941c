package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/network"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

var settingsFields = []string{"name", "short_name", "attribution", "tagline", "time_zone", "words_per_minute"}

// showSettings is the admin's form for the network's settings.
func (s *Server) showSettings(c echo.Context) error {
	n, err := s.store.Network(c.Request().Context())
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: map[string]string{
		"name": n.Name, "short_name": n.ShortName, "attribution": n.Attribution, "tagline": n.Tagline,
		"time_zone": n.TimeZone, "words_per_minute": strconv.Itoa(n.WordsPerMinute),
	}}
	return renderPrivate(c, http.StatusOK, desk.Settings(s.shell(c, "Network settings", urls.Settings()), form))
}

// saveSettings saves the network's settings; readers see them at once.
func (s *Server) saveSettings(c echo.Context) error {
	me, _ := currentUser(c)
	wpm, err := strconv.Atoi(strings.TrimSpace(c.FormValue("words_per_minute")))
	if err != nil {
		wpm = -1 // reported by Normalize
	}
	n, err := network.Network{
		Name: c.FormValue("name"), ShortName: c.FormValue("short_name"), Attribution: c.FormValue("attribution"),
		Tagline: c.FormValue("tagline"), TimeZone: c.FormValue("time_zone"), WordsPerMinute: wpm,
	}.Normalize()
	if err == nil {
		err = s.store.SaveNetwork(c.Request().Context(), me.ID, n)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return renderPrivate(c, http.StatusUnprocessableEntity, desk.Settings(s.shell(c, "Network settings", urls.Settings()), formFrom(c, err, settingsFields...)))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved the network settings. Readers see them now.")
	return c.Redirect(http.StatusSeeOther, urls.Settings())
}
