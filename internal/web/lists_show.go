package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

// pageSize is how many articles a listing page shows.
const pageSize = 20

// showHome lists the latest published articles.
func (s *Server) showHome(c echo.Context) error {
	rc, err := s.loadReader(c, urls.Home())
	if err != nil {
		return err
	}
	page := reader.ListPage{Heading: "Latest from " + rc.net.Name, Intro: rc.net.Tagline, Empty: "Nothing has been published yet."}
	meta := layout.Meta{Title: rc.net.Name, Description: orDefault(rc.net.Tagline, "The latest articles from "+rc.net.Name+"."), OGType: "website"}
	return s.renderList(c, rc, meta, page, urls.Home(), store.ListFilter{})
}

// showCategory lists a category's published articles.
func (s *Server) showCategory(c echo.Context) error {
	cat, err := s.store.CategoryBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	path := urls.Category(cat.Slug)
	rc, err := s.loadReader(c, path)
	if err != nil {
		return err
	}
	page := reader.ListPage{Heading: cat.Name, Intro: cat.Description, Empty: "No articles in " + cat.Name + " yet."}
	meta := layout.Meta{Title: cat.Name + " · " + rc.net.Name, Description: orDefault(cat.Description, cat.Name+" articles from "+rc.net.Name+"."), OGType: "website",
		Feeds:  []layout.Link{{Href: urls.CategoryFeed(cat.Slug), Label: cat.Name + " · " + rc.net.Name}},
		JSONLD: []string{s.breadcrumbs(rc, layout.Link{Href: path, Label: cat.Name})}}
	return s.renderList(c, rc, meta, page, path, store.ListFilter{CategoryID: cat.ID})
}

// showSubject is a subject's hub: its life moments as a timeline ordered by
// when they happened.
func (s *Server) showSubject(c echo.Context) error {
	sub, err := s.store.SubjectBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	page := reader.ListPage{Heading: sub.HubTitle, Intro: sub.Description, Timeline: true, Empty: "No moments published yet."}
	meta := layout.Meta{Title: sub.HubTitle + " · " + rc.net.Name, Description: orDefault(sub.Description, sub.HubTitle+", a timeline from "+rc.net.Name+"."), OGType: "website",
		Feeds:  []layout.Link{{Href: urls.SubjectFeed(sub.Slug), Label: sub.HubTitle + " · " + rc.net.Name}},
		JSONLD: []string{s.breadcrumbs(rc, layout.Link{Href: urls.Subject(sub.Slug), Label: sub.HubTitle})}}
	return s.renderList(c, rc, meta, page, urls.Subject(sub.Slug), store.ListFilter{SubjectID: sub.ID})
}

// renderList fills one page of a listing and renders it. A page number that
// is not a positive whole number, or lies past the end, is not found.
func (s *Server) renderList(c echo.Context, rc readerContext, meta layout.Meta, page reader.ListPage, path string, f store.ListFilter) error {
	n, err := pageNumber(c.QueryParam("page"))
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pageSize, (n-1)*pageSize
	items, total, err := s.store.ListLive(c.Request().Context(), f)
	if err != nil {
		return err
	}
	pages := max(1, (total+pageSize-1)/pageSize)
	if n > pages {
		return apperr.Errorf(apperr.NotFound, "This listing has only %d page(s).", pages)
	}
	page.Items = rc.summaries(items)
	page.Pager = reader.Pager{Page: n, Pages: pages}
	if n > 1 {
		page.Pager.Prev = urls.Page(path, n-1)
		meta.Title += " · Page " + strconv.Itoa(n)
	}
	if n < pages {
		page.Pager.Next = urls.Page(path, n+1)
	}
	meta.Canonical = s.absolute(urls.Page(path, n))
	return s.renderPublic(c, http.StatusOK, reader.List(rc.site, meta, page))
}

func pageNumber(raw string) (int, error) {
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, apperr.Errorf(apperr.NotFound, "There is no page %q of this listing; pages are numbered from 1.", raw)
	}
	return n, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
