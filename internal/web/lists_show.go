package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/reading"
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
		return s.orSlugMoved(c, reading.CategoryPage, urls.Category, err)
	}
	path := urls.Category(cat.Slug)
	rc, err := s.loadReader(c, path)
	if err != nil {
		return err
	}
	page := reader.ListPage{Heading: cat.Name, Intro: cat.Description, Empty: "No articles in " + cat.Name + " yet."}
	meta := layout.Meta{Title: cat.Name + " · " + rc.net.Name, Description: orDefault(cat.Description, cat.Name+" articles from "+rc.net.Name+"."), OGType: "website",
		Feeds:  []layout.Link{{Href: urls.CategoryFeed(cat.Slug), Label: cat.Name + " · " + rc.net.Name}},
		JSONLD: []any{s.breadcrumbs(rc, layout.Link{Href: path, Label: cat.Name})}}
	return s.renderList(c, rc, meta, page, path, article.ListFilter{CategoryID: cat.ID})
}

// showSubject is a subject's hub: its life moments as a timeline ordered by
// when they happened.
func (s *Server) showSubject(c echo.Context) error {
	sub, err := s.read.Subject(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return s.orSlugMoved(c, reading.SubjectPage, urls.Subject, err)
	}
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	page := reader.ListPage{Heading: sub.HubTitle, Intro: sub.Description, Timeline: true, Empty: "No moments published yet."}
	meta := layout.Meta{Title: sub.HubTitle + " · " + rc.net.Name, Description: orDefault(sub.Description, sub.HubTitle+", a timeline from "+rc.net.Name+"."), OGType: "website",
		Feeds:  []layout.Link{{Href: urls.SubjectFeed(sub.Slug), Label: sub.HubTitle + " · " + rc.net.Name}},
		JSONLD: []any{s.breadcrumbs(rc, layout.Link{Href: urls.Subject(sub.Slug), Label: sub.HubTitle})}}
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
	page.Items = s.summaries(c.Request().Context(), rc, items)
	page.Pager = reader.Pager{Page: pg.N, Pages: pg.Pages}
	page.Pager.Prev, page.Pager.Next = pg.links(func(k int) string { return urls.Page(path, k) })
	if pg.N > 1 {
		meta.Title += " · Page " + strconv.Itoa(pg.N)
	}
	meta.Canonical = s.absolute(urls.Page(path, pg.N))
	return s.renderPublic(c, http.StatusOK, reader.List(rc.site, meta, page))
}

// orSlugMoved answers a page of a category, subject or contributor (kind)
// that was not found: with a permanent redirect when the slug asked for is
// a former one, to the address at makes of the current one, keeping the
// query (the page number); otherwise with err.
func (s *Server) orSlugMoved(c echo.Context, kind string, at func(slug string) string, err error) error {
	return s.movedOr(c, err, func(ctx context.Context) (string, bool, error) { return s.read.Moved(ctx, kind, c.Param("slug")) },
		func(current string) string {
			if q := c.QueryString(); q != "" {
				return at(current) + "?" + q
			}
			return at(current)
		})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// showContributor is a contributor's page: who they are and the articles
// that credit them, newest first, each with what they did for it.
func (s *Server) showContributor(c echo.Context) error {
	ctx := c.Request().Context()
	ct, err := s.read.Contributor(ctx, c.Param("slug"))
	if err != nil {
		return s.orSlugMoved(c, reading.ContributorPage, urls.Contributor, err)
	}
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	pg, err := pageOf(c.QueryParam("page"), pageSize)
	if err != nil {
		return err
	}
	items, total, err := s.read.List(ctx, article.ListFilter{ContributorID: ct.ID, Limit: pg.Size, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	if pg, err = pg.counted(total); err != nil {
		return err
	}
	path := urls.Contributor(ct.Slug)
	page := reader.ContributorPage{Name: ct.Name, Bio: ct.Bio, Affiliation: ct.Affiliation, Website: ct.Website, Links: ct.Links,
		Items: s.summaries(ctx, rc, items), Feed: urls.ContributorFeed(ct.Slug), Pager: reader.Pager{Page: pg.N, Pages: pg.Pages}}
	for i, it := range items {
		var roles []string
		for _, cr := range it.Revision.Credits {
			if cr.Contributor.ID == ct.ID {
				roles = append(roles, cr.Role.Label())
			}
		}
		page.Items[i].Roles = strings.Join(roles, ", ")
	}
	page.Pager.Prev, page.Pager.Next = pg.links(func(k int) string { return urls.Page(path, k) })
	meta := layout.Meta{Title: ct.Name + " · " + rc.net.Name, Description: orDefault(description("", ct.Bio), "Articles by "+ct.Name+" for "+rc.net.Name+"."),
		OGType: "profile", Canonical: s.absolute(urls.Page(path, pg.N)),
		Feeds:  []layout.Link{{Href: page.Feed, Label: ct.Name + " · " + rc.net.Name}},
		JSONLD: []any{s.profileJSONLD(ct), s.breadcrumbs(rc, layout.Link{Href: path, Label: ct.Name})}}
	if pg.N > 1 {
		meta.Title += " · Page " + strconv.Itoa(pg.N)
	}
	return s.renderPublic(c, http.StatusOK, reader.Contributor(rc.site, meta, page))
}
