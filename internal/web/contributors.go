package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/internal/workflow"
	"github.com/quire-cms/quire/views/desk"
)

// showContributors lists contributors, found by name and paginated.
func (s *Server) showContributors(c echo.Context) error {
	pg, err := pageOf(c.QueryParam("page"), deskPageSize)
	if err != nil {
		return err
	}
	q := clip(c.QueryParam("q"), 200)
	rows, total, err := s.pub.Contributors(c.Request().Context(), q, pg.Size, pg.Offset())
	if err != nil {
		return err
	}
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	p := desk.ContributorsPage{Query: q, Total: total, Page: pg.N, Pages: pg.Pages, ListHref: urls.DeskContributors(),
		NewHref: urls.NewContributor(), CanManage: workflow.ManageContributors(actorOf(c)) == nil}
	for _, r := range rows {
		p.Rows = append(p.Rows, desk.ContributorRow{Name: r.Name, Affiliation: r.Affiliation, Hidden: r.Hidden, Credits: r.Credits,
			EditHref: urls.DeskContributor(r.ID), PublicHref: urls.Contributor(r.Slug)})
	}
	query := c.QueryParams()
	p.Prev, p.Next = pg.links(func(k int) string {
		query.Set("page", strconv.Itoa(k))
		return urls.DeskContributors() + "?" + query.Encode()
	})
	return renderPrivate(c, http.StatusOK, desk.Contributors(s.shell(c, "Contributors", urls.DeskContributors()), p))
}

// showContributorForm is the form to add a contributor, or to change the
// one named in the path.
func (s *Server) showContributorForm(c echo.Context) error {
	if err := workflow.ManageContributors(actorOf(c)); err != nil {
		return err
	}
	id, err := taxonID(c)
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}
	if id != 0 {
		ct, err := s.pub.Contributor(c.Request().Context(), id)
		if err != nil {
			return err
		}
		form.Values = map[string]string{article.FieldName: ct.Name, article.FieldSlug: ct.Slug, article.FieldBio: ct.Bio,
			article.FieldAffiliation: ct.Affiliation, article.FieldWebsite: ct.Website, article.FieldLinks: strings.Join(ct.Links, "\n"),
			article.FieldAccount: idValue(ct.AccountID)}
		if ct.Hidden {
			form.Values[article.FieldHidden] = "1"
		}
	}
	return s.renderContributorForm(c, http.StatusOK, id, form)
}

func idValue(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func (s *Server) renderContributorForm(c echo.Context, status int, id int64, form desk.Form) error {
	p := desk.ContributorForm{Form: form, Heading: "New contributor", Action: urls.DeskContributors(), Cancel: urls.DeskContributors()}
	current := urls.NewContributor()
	if id != 0 {
		p.Heading, p.Action, p.DeleteAction = "Edit contributor", urls.DeskContributor(id), urls.DeleteContributor(id)
		current = urls.DeskContributor(id)
	}
	accounts, err := s.access.List(c.Request().Context())
	if err != nil {
		return err
	}
	choices := []desk.Choice{{Value: "", Label: "None (a guest contributor)"}}
	for _, a := range accounts {
		v := strconv.FormatInt(a.ID, 10)
		// Names and roles only: editors manage contributors, and the
		// accounts' addresses are the admins' business.
		choices = append(choices, desk.Choice{Value: v, Label: a.Name + " (" + a.Role.Label() + ")", Checked: v == form.Value(article.FieldAccount)})
	}
	p.Form.Choices = map[string][]desk.Choice{article.FieldAccount: choices}
	return renderPrivate(c, status, desk.EditContributor(s.shell(c, p.Heading, current), p))
}

// saveContributor adds a contributor, or changes the one named in the path.
func (s *Server) saveContributor(c echo.Context) error {
	id, err := taxonID(c)
	if err != nil {
		return err
	}
	ct := article.Contributor{ID: id, Name: c.FormValue(article.FieldName), Slug: c.FormValue(article.FieldSlug),
		Bio: c.FormValue(article.FieldBio), Affiliation: c.FormValue(article.FieldAffiliation), Website: c.FormValue(article.FieldWebsite),
		Links: strings.Split(c.FormValue(article.FieldLinks), "\n"), Hidden: c.FormValue(article.FieldHidden) == "1"}
	if raw := c.FormValue(article.FieldAccount); raw != "" {
		if ct.AccountID, err = strconv.ParseInt(raw, 10, 64); err != nil || ct.AccountID <= 0 {
			ct.AccountID = -1 // no such account: the use case says so
		}
	}
	ct, err = s.pub.SaveContributor(c.Request().Context(), actorOf(c), ct)
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderContributorForm(c, http.StatusUnprocessableEntity, id, formFrom(c, err, desk.ContributorFields))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved the contributor "+ct.Name+".")
	return c.Redirect(http.StatusSeeOther, urls.DeskContributors())
}

// deleteContributor deletes a contributor no revision credits.
func (s *Server) deleteContributor(c echo.Context) error {
	id, err := taxonID(c)
	if err != nil {
		return err
	}
	ct, err := s.pub.DeleteContributor(c.Request().Context(), actorOf(c), id)
	if apperr.CodeOf(err) == apperr.Conflict {
		s.flash(c, apperr.MessageOf(err))
		return c.Redirect(http.StatusSeeOther, urls.DeskContributor(id))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Deleted the contributor "+ct.Name+".")
	return c.Redirect(http.StatusSeeOther, urls.DeskContributors())
}
