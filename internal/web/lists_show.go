package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/article"
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
	return s.renderList(c, rc, meta, page, urls.Home(), article.ListFilter{})
}

// showCategory lists a category's published articles.
func (s *Server) showCategory(c echo.Context) error {
	cat, err := s.read.Category(c.Request().Context(), c.Param("slug"))
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
	return s.renderList(c, rc, meta, page, path, article.ListFilter{CategoryID: cat.ID})
}

// showSubject is a subject's hub: its life moments as a timeline ordered by
// when they happened.
func (s *Server) showSubject(c echo.Context) error {
	sub, err := s.read.Subject(c.Request().Context(), c.Param("slug"))
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
	return s.renderList(c, rc, meta, page, urls.Subject(sub.Slug), article.ListFilter{SubjectID: sub.ID})
}

// renderList fills one page of a listing and renders it. A page number that
// is not a positive whole number, or lies past the end, is not found.
func (s *Server) renderList(c echo.Context, rc readerContext, meta layout.Meta, page reader.ListPage, path string, f article.ListFilter) error {
	pg, err := pageOf(c.QueryParam("page"), pageSize)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Size, pg.Offset()
	items, total, err := s.read.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	page.Items = rc.summaries(items)
	page.Pager = reader.Pager{Page: pg.N, Pages: pg.Pages}
	page.Pager.Prev, page.Pager.Next = pg.links(func(k int) string { return urls.Page(path, k) })
	if pg.N > 1 {
		meta.Title += " · Page " + strconv.Itoa(pg.N)
	}
	meta.Canonical = s.absolute(urls.Page(path, pg.N))
	return s.renderPublic(c, http.StatusOK, reader.List(rc.site, meta, page))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
