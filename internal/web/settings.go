package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// showSettings is the admin's form for the network's settings.
func (s *Server) showSettings(c echo.Context) error {
	n, err := s.pub.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: map[string]string{
		publisher.FieldName: n.Name, publisher.FieldShortName: n.ShortName, publisher.FieldAttribution: n.Attribution,
		publisher.FieldTagline: n.Tagline, publisher.FieldTimeZone: n.TimeZone, publisher.FieldWordsPerMinute: strconv.Itoa(n.WordsPerMinute),
	}}
	if n.ShowReview {
		form.Values[publisher.FieldShowReview] = "1"
	}
	form.Values[publisher.FieldTwoFactor] = string(n.TwoFactorRule())
	return renderPrivate(c, http.StatusOK, desk.Settings(s.shell(c, "Network settings", urls.Settings()), withRules(form)))
}

// withRules gives the settings form the two-factor rules to choose from.
func withRules(f desk.Form) desk.Form {
	var rules []desk.Choice
	for _, r := range account.TwoFactorRules {
		rules = append(rules, desk.Choice{Value: string(r), Label: r.Label(), Checked: f.Value(publisher.FieldTwoFactor) == string(r)})
	}
	f.Choices = map[string][]desk.Choice{publisher.FieldTwoFactor: rules}
	return f
}

// saveSettings saves the network's settings; readers see them at once.
func (s *Server) saveSettings(c echo.Context) error {
	wpm, err := strconv.Atoi(strings.TrimSpace(c.FormValue(publisher.FieldWordsPerMinute)))
	if err != nil {
		wpm = -1 // reported by Normalize
	}
	n, err := publisher.Settings{
		Name: c.FormValue(publisher.FieldName), ShortName: c.FormValue(publisher.FieldShortName), Attribution: c.FormValue(publisher.FieldAttribution),
		Tagline: c.FormValue(publisher.FieldTagline), TimeZone: c.FormValue(publisher.FieldTimeZone), WordsPerMinute: wpm,
		ShowReview: c.FormValue(publisher.FieldShowReview) == "1", RequireTwoFactor: account.TwoFactorRule(c.FormValue(publisher.FieldTwoFactor)),
	}.Normalize()
	if err == nil {
		err = s.pub.SaveSettings(c.Request().Context(), actorOf(c), n)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return renderPrivate(c, http.StatusUnprocessableEntity, desk.Settings(s.shell(c, "Network settings", urls.Settings()), withRules(formFrom(c, err, desk.SettingsFields))))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved the network settings. Readers see them now.")
	return c.Redirect(http.StatusSeeOther, urls.Settings())
}
