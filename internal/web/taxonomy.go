package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/desk"
)

// taxonID reads the id of the category or subject being edited; 0 means new.
func taxonID(c echo.Context) (int64, error) {
	if c.Param("id") == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Errorf(apperr.NotFound, "There is no such entry.")
	}
	return id, nil
}

// showCategories lists categories with a form to add one, or to edit the
// one named in the path.
func (s *Server) showCategories(c echo.Context) error {
	id, err := taxonID(c)
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}
	if id != 0 {
		cats, err := s.pub.Categories(c.Request().Context())
		if err != nil {
			return err
		}
		found := false
		for _, cat := range cats {
			if cat.ID == id {
				form.Values = map[string]string{article.FieldName: cat.Name, article.FieldSlug: cat.Slug, article.FieldDescription: cat.Description}
				found = true
			}
		}
		if !found {
			return apperr.Errorf(apperr.NotFound, "There is no such category.")
		}
	}
	return s.renderCategories(c, http.StatusOK, id, form)
}

func (s *Server) renderCategories(c echo.Context, status int, id int64, form desk.Form) error {
	cats, err := s.pub.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	p := desk.TaxonomyPage{Heading: "Categories", Singular: "category", Form: form, Action: urls.DeskCategories(),
		Editing: id != 0, ListHref: urls.DeskCategories()}
	if id != 0 {
		p.Action = urls.DeskCategory(id)
	}
	for _, cat := range cats {
		p.Rows = append(p.Rows, desk.TaxonRow{Name: cat.Name, Slug: cat.Slug, Description: cat.Description,
			EditHref: urls.DeskCategory(cat.ID), PublicHref: urls.Category(cat.Slug)})
	}
	return renderPrivate(c, status, desk.Taxonomy(s.shell(c, "Categories", urls.DeskCategories()), p))
}

// saveCategory creates a category, or updates the one named in the path.
func (s *Server) saveCategory(c echo.Context) error {
	id, err := taxonID(c)
	if err != nil {
		return err
	}
	cat, err := s.pub.SaveCategory(c.Request().Context(), article.Category{ID: id, Name: c.FormValue(article.FieldName),
		Slug: c.FormValue(article.FieldSlug), Description: c.FormValue(article.FieldDescription)})
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderCategories(c, http.StatusUnprocessableEntity, id, formFrom(c, err, desk.CategoryFields))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved the category "+cat.Name+".")
	return c.Redirect(http.StatusSeeOther, urls.DeskCategories())
}

// showSubjects lists subjects with a form to add one, or to edit the one
// named in the path.
func (s *Server) showSubjects(c echo.Context) error {
	id, err := taxonID(c)
	if err != nil {
		return err
	}
	form := desk.Form{CSRF: csrfToken(c), Values: map[string]string{}}
	if id != 0 {
		subs, err := s.pub.Subjects(c.Request().Context())
		if err != nil {
			return err
		}
		found := false
		for _, sub := range subs {
			if sub.ID == id {
				form.Values = map[string]string{article.FieldName: sub.Name, article.FieldSlug: sub.Slug, article.FieldHubTitle: sub.HubTitle,
					article.FieldDescription: sub.Description}
				found = true
			}
		}
		if !found {
			return apperr.Errorf(apperr.NotFound, "There is no such subject.")
		}
	}
	return s.renderSubjects(c, http.StatusOK, id, form)
}

func (s *Server) renderSubjects(c echo.Context, status int, id int64, form desk.Form) error {
	subs, err := s.pub.Subjects(c.Request().Context())
	if err != nil {
		return err
	}
	p := desk.TaxonomyPage{Heading: "Subjects", Singular: "subject", Form: form, Action: urls.DeskSubjects(),
		Editing: id != 0, HasHub: true, ListHref: urls.DeskSubjects()}
	if id != 0 {
		p.Action = urls.DeskSubject(id)
	}
	for _, sub := range subs {
		p.Rows = append(p.Rows, desk.TaxonRow{Name: sub.Name, Slug: sub.Slug, HubTitle: sub.HubTitle, Description: sub.Description,
			EditHref: urls.DeskSubject(sub.ID), PublicHref: urls.Subject(sub.Slug)})
	}
	return renderPrivate(c, status, desk.Taxonomy(s.shell(c, "Subjects", urls.DeskSubjects()), p))
}

// saveSubject creates a subject, or updates the one named in the path.
func (s *Server) saveSubject(c echo.Context) error {
	id, err := taxonID(c)
	if err != nil {
		return err
	}
	sub, err := s.pub.SaveSubject(c.Request().Context(), article.Subject{ID: id, Name: c.FormValue(article.FieldName),
		Slug: c.FormValue(article.FieldSlug), HubTitle: c.FormValue(article.FieldHubTitle), Description: c.FormValue(article.FieldDescription)})
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderSubjects(c, http.StatusUnprocessableEntity, id, formFrom(c, err, desk.SubjectFields))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved the subject "+sub.Name+".")
	return c.Redirect(http.StatusSeeOther, urls.DeskSubjects())
}
