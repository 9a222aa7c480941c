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
		cats, err := s.store.Categories(c.Request().Context())
		if err != nil {
			return err
		}
		found := false
		for _, cat := range cats {
			if cat.ID == id {
				form.Values = map[string]string{"name": cat.Name, "slug": cat.Slug, "description": cat.Description}
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
	cats, err := s.store.Categories(c.Request().Context())
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
	cat, err := article.Category{ID: id, Name: c.FormValue("name"), Slug: c.FormValue("slug"), Description: c.FormValue("description")}.Normalize()
	if err == nil {
		if id == 0 {
			_, err = s.store.CreateCategory(c.Request().Context(), cat)
		} else {
			err = s.store.UpdateCategory(c.Request().Context(), cat)
		}
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderCategories(c, http.StatusUnprocessableEntity, id, formFrom(c, err, "name", "slug", "description"))
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
		subs, err := s.store.Subjects(c.Request().Context())
		if err != nil {
			return err
		}
		found := false
		for _, sub := range subs {
			if sub.ID == id {
				form.Values = map[string]string{"name": sub.Name, "slug": sub.Slug, "hub_title": sub.HubTitle, "description": sub.Description}
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
	subs, err := s.store.Subjects(c.Request().Context())
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
	sub, err := article.Subject{ID: id, Name: c.FormValue("name"), Slug: c.FormValue("slug"), HubTitle: c.FormValue("hub_title"),
		Description: c.FormValue("description")}.Normalize()
	if err == nil {
		if id == 0 {
			_, err = s.store.CreateSubject(c.Request().Context(), sub)
		} else {
			err = s.store.UpdateSubject(c.Request().Context(), sub)
		}
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		return s.renderSubjects(c, http.StatusUnprocessableEntity, id, formFrom(c, err, "name", "slug", "hub_title", "description"))
	}
	if err != nil {
		return err
	}
	s.flash(c, "Saved the subject "+sub.Name+".")
	return c.Redirect(http.StatusSeeOther, urls.DeskSubjects())
}
