package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// An article form posted after its session ended (two idle hours, a
// logout in another tab, a restart that lost sessions) must not lose what
// was typed. The post is answered with the login page holding every value
// in hidden fields, so nothing is stored on the server for a visitor nobody
// knows; after login the editor is back on the form, filled in and not yet
// saved. Only posts a browser marks as from this site are carried (the
// CSRF middleware refuses the others first), so a forged cross-site post
// never reaches anyone's form.

// carryPrefix marks the carried values among the login form's own.
const carryPrefix = "carried:"

// carriedArticle reports whether path receives an article form that may be
// carried through login, and which article's (zero for New article).
func carriedArticle(path string) (int64, bool) {
	if path == urls.DeskArticles() {
		return 0, true
	}
	rest, ok := strings.CutPrefix(path, urls.DeskArticles()+"/")
	if !ok {
		return 0, false
	}
	id, ok := strings.CutSuffix(rest, "/edit")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

// keepPosted answers an article form whose session or CSRF token is gone:
// with the form itself, unsaved, for someone still logged in (another tab
// renewed the session), otherwise with the login page carrying it.
func (s *Server) keepPosted(c echo.Context, articleID int64) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	form = articleFormOnly(form)
	if _, ok := currentUser(c); ok {
		return s.unsavedForm(c, http.StatusForbidden, articleID, form,
			"This form had expired, so nothing was saved. Everything you typed is below: check it, then press Save draft.")
	}
	// The session, if there was one, is over: the login form is a
	// logged-out browser's.
	p := desk.LoginPage{Form: desk.Form{CSRF: s.loggedOutToken(c), Values: map[string]string{}}, Next: c.Request().URL.Path, Carried: carry(form)}
	return renderPrivate(c, http.StatusUnauthorized, desk.Login(p))
}

// articleFormOnly keeps the values the article form has, and only as many
// as it has (its field table, its credit rows and the revision it was
// opened on), so that carrying or keeping a post never stores or echoes
// anything else.
func articleFormOnly(form url.Values) url.Values {
	out := url.Values{}
	for _, name := range append(desk.ArticleFields.Names(), "base", creditContributor, creditRole, creditOrder) {
		if values, ok := form[name]; ok {
			out[name] = values
		}
	}
	return out
}

// carry is form as the login form's hidden fields.
func carry(form url.Values) []desk.Carried {
	var out []desk.Carried
	for name, values := range form {
		for _, v := range values {
			out = append(out, desk.Carried{Name: carryPrefix + name, Value: v})
		}
	}
	return out
}

// carried returns the form values the login form carried, if any.
func carried(form url.Values) url.Values {
	out := url.Values{}
	for name, values := range form {
		if field, ok := strings.CutPrefix(name, carryPrefix); ok {
			out[field] = values
		}
	}
	return out
}

// unsavedForm renders the article form (New article for articleID zero)
// filled with values that are not saved, saying why in note. The form
// keeps the revision it was opened on, so saving still meets a conflict
// if someone saved meanwhile.
func (s *Server) unsavedForm(c echo.Context, status int, articleID int64, values url.Values, note string) error {
	d, err := draftFrom(values)
	form := formOf(csrfToken(c), values, err, desk.ArticleFields)
	base, _ := strconv.Atoi(values.Get("base"))
	if articleID != 0 && base < 1 {
		return apperr.Errorf(apperr.Invalid, "The form does not say which revision it was opened on; reload the edit page.")
	}
	return s.renderArticleForm(c, status, articleID, base, form, pickedFrom(d), formNotes{unsaved: note})
}
