package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/urls"
	"github.com/quire-cms/quire/views/layout"
	"github.com/quire-cms/quire/views/reader"
)

// showArticle renders a published article's live revision.
func (s *Server) showArticle(c echo.Context) error {
	slug := c.Param("slug")
	if !article.ValidSlug(slug) {
		return echo.ErrNotFound
	}
	if c.Request().Header.Get(acceptDatetime) != "" {
		return s.timeGate(c, slug)
	}
	p, err := s.read.Article(c.Request().Context(), slug)
	if err != nil {
		return s.orMoved(c, slug, "", err)
	}
	rc, err := s.loadReader(c, "")
	if err != nil {
		return err
	}
	page := rc.articlePage(p)
	lead, err := s.illustrated(c.Request().Context(), &page, p.Revision)
	if err != nil {
		return err
	}
	canonical := s.absolute(urls.Article(p.Article.Slug))
	meta := layout.Meta{
		Title:       p.Revision.Title + " · " + rc.net.Name,
		Description: description(p.Revision.Dek, p.Revision.BodyText),
		Canonical:   canonical,
		OGType:      "article",
		Published:   p.Article.PublishedAt.UTC().Format(time.RFC3339),
		Modified:    p.Article.UpdatedAt.UTC().Format(time.RFC3339),
		JSONLD:      []any{s.newsArticleJSONLD(rc, p, canonical, lead), s.breadcrumbs(rc, articleTrail(p)...)},
	}
	if lead.ID != 0 {
		meta.Image = s.previewImage(lead, p.Revision.Lead)
	}
	// The article is its own TimeGate: it answers Accept-Datetime.
	h := c.Response().Header()
	h.Set(echo.HeaderVary, acceptDatetime)
	h.Set("Link", fmt.Sprintf(`<%s>; rel="original timegate", <%s>; rel="timemap"; type="%s"`,
		canonical, s.absolute(urls.Versions(p.Article.Slug)), linkFormat))
	if prov, ok := article.ProvenanceOf(p.Approvals); ok && rc.net.ShowReview {
		page.Review = rc.review(prov)
	}
	return s.renderPublic(c, http.StatusOK, reader.Article(rc.site, meta, page))
}

// articleTrail is the way to an article: its first category, then itself.
func articleTrail(p article.Published) []layout.Link {
	var trail []layout.Link
	if len(p.Revision.Categories) > 0 {
		c := p.Revision.Categories[0]
		trail = append(trail, layout.Link{Href: urls.Category(c.Slug), Label: c.Name})
	}
	return append(trail, layout.Link{Href: urls.Article(p.Article.Slug), Label: p.Revision.Title})
}
